"""Finds the Debian-packaged C++ libraries the project links against.

Nothing is downloaded: each library is located with pkg-config on the host and
exposed as a `cc_library` in the `@debian_deps` repository (for example
`@debian_deps//:rocksdb`). Headers live in /usr/include, which the compiler
searches by default. A missing package fails the fetch with the apt package to
install, instead of a link error later.
"""

# Target name -> (pkg-config modules, Debian package that provides them, extra link flags).
_LIBRARIES = {
    "absl": (
        [
            "absl_status",
            "absl_statusor",
            "absl_strings",
            "absl_str_format",
            "absl_synchronization",
            "absl_time",
            "absl_flags",
            "absl_flags_parse",
            "absl_flags_usage",
            "absl_hash",
            "absl_raw_hash_set",
            "absl_random_random",
            "absl_cleanup",
            "absl_span",
        ],
        "libabsl-dev",
        [],
    ),
    "rocksdb": (["rocksdb"], "librocksdb-dev", []),
    "sodium": (["libsodium"], "libsodium-dev", []),
    "protobuf": (["protobuf"], "libprotobuf-dev", []),
    "grpc": (["grpc++"], "libgrpc++-dev", []),
    "grpc_reflection": (["grpc++"], "libgrpc++-dev", ["-lgrpc++_reflection"]),
    # X.509 names and CRLs of client certificates (api/server); the same
    # libcrypto that Debian's gRPC links.
    "openssl": (["libcrypto"], "libssl-dev", []),
    "gtest_main": (["gmock", "gtest_main"], "libgtest-dev libgmock-dev", []),
    "microhttpd": (["libmicrohttpd"], "libmicrohttpd-dev", []),
    "zlib": (["zlib"], "zlib1g-dev", []),
    # HTTP client of the tlog-tiles reader (api/client/curl_http_getter).
    "curl": (["libcurl"], "libcurl4-openssl-dev", []),
    "benchmark": (["benchmark"], "libbenchmark-dev", []),
    "benchmark_main": (["benchmark"], "libbenchmark-dev", ["-lbenchmark_main"]),
    # Prometheus client: registry, text exposition, HTTP exposer (civetweb).
    "prometheus": (
        ["prometheus-cpp-core", "prometheus-cpp-pull"],
        "prometheus-cpp-dev",
        [],
    ),
}

def _pkg_config_libs(ctx, modules, package):
    result = ctx.execute(["pkg-config", "--libs"] + modules)
    if result.return_code != 0:
        fail("pkg-config could not find %s: install the Debian package(s) '%s' " % (
            " ".join(modules),
            package,
        ) + "(scripts/bootstrap.sh does this). pkg-config said: " + result.stderr)
    return result.stdout.strip().split(" ")

def _debian_deps_impl(ctx):
    if ctx.which("pkg-config") == None:
        fail("pkg-config is not installed: run scripts/bootstrap.sh (apt-get install pkg-config)")
    build = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, (modules, package, extra) in _LIBRARIES.items():
        flags = _pkg_config_libs(ctx, modules, package) + extra
        build.append("cc_library(")
        build.append('    name = "%s",' % name)
        build.append("    linkopts = %s," % repr([f for f in flags if f]))
        build.append(")")
        build.append("")
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD.bazel", "\n".join(build))

debian_deps = repository_rule(
    implementation = _debian_deps_impl,
    local = True,
    doc = "Exposes Debian's system libraries (found with pkg-config) as cc_library targets.",
)
