// Runs each file named on the command line through the fuzz target's
// LLVMFuzzerTestOneInput, as libFuzzer would replay a corpus. Used by the
// `*_corpus_test` targets so the normal build (no clang, no sanitizer)
// exercises every parser on its seed corpus. A crash or a failed check in the
// target fails the test; a run over no files fails too (an empty corpus
// would prove nothing).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int files = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read corpus file %s\n", argv[i]);
      return 1;
    }
    const std::string data((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()),
                           data.size());
    ++files;
  }
  std::printf("replayed %d corpus file(s)\n", files);
  return files > 0 ? 0 : 1;
}
