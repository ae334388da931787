// The published vectors (ledger/testdata/vectors/*.json) are exactly what
// the ledger's format code produces from their seeds: regenerate and compare
// byte for byte. After a deliberate format change, rewrite them with
// `bazel run //tests/vectors:make_vectors -- $PWD/ledger/testdata/vectors`.
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/vectors/vector_log.h"

namespace vectors {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(VectorsGoldenTest, PublishedFilesMatchTheFormatCode) {
  auto files = BuildVectorFiles();
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 5u);
  for (const auto& [name, want] : *files) {
    const std::string got = ReadFile("ledger/testdata/vectors/" + name);
    EXPECT_EQ(got, want) << name
                         << " differs from what the format code produces; "
                            "regenerate with make_vectors if the change is "
                            "deliberate";
  }
}

}  // namespace
}  // namespace vectors
