// Writes the published test vectors (tests/vectors/vector_log.h) into a
// folder: bazel run //tests/vectors:make_vectors --
// $PWD/ledger/testdata/vectors
#include <fstream>
#include <iostream>

#include "tests/vectors/vector_log.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_vectors OUT_DIR\n";
    return 2;
  }
  auto files = vectors::BuildVectorFiles();
  if (!files.ok()) {
    std::cerr << "make_vectors: " << files.status() << "\n";
    return 1;
  }
  for (const auto& [name, text] : *files) {
    const std::string path = std::string(argv[1]) + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.good()) {
      std::cerr << "make_vectors: cannot write " << path << "\n";
      return 1;
    }
    std::cout << path << "\n";
  }
  return 0;
}
