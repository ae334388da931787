"""libFuzzer targets that also run in the normal build.

`fuzz_target(name, srcs, deps, corpus)` declares:
  * `name`: the libFuzzer binary, built only with `--config=fuzz` (clang-14,
    -fsanitize=fuzzer,address); skipped by `bazel build //...` otherwise.
  * `name_corpus_test`: a cc_test that replays every file of the checked-in
    seed corpus through the same LLVMFuzzerTestOneInput with the normal
    compiler, so CI exercises each parser on its corpus without clang.
"""

def fuzz_target(name, srcs, deps, corpus):
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        target_compatible_with = select({
            "//tests/fuzz:fuzzing": [],
            "//conditions:default": ["//bazel:incompatible"],
        }),
        testonly = True,
    )
    native.cc_test(
        name = name + "_corpus_test",
        srcs = srcs,
        deps = deps + ["//tests/fuzz:corpus_replay_main"],
        data = native.glob([corpus + "/**"]),
        args = ["$(location %s)" % f for f in native.glob([corpus + "/**"])],
    )
