#include "common/read_file.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace common {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST(ReadWholeFile, ReadsEveryByteIncludingNulAndLargeFiles) {
  const std::string path = TempDir() + "/read_file_big";
  std::string content(200000, 'x');
  content[7] = '\0';
  content.back() = '\n';
  std::ofstream(path, std::ios::binary) << content;
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, content);
}

TEST(ReadWholeFile, EmptyFileIsEmptyString) {
  const std::string path = TempDir() + "/read_file_empty";
  std::ofstream(path, std::ios::binary).close();
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, "");
}

TEST(ReadWholeFile, MissingFileIsNotFoundNamingThePath) {
  const std::string path = TempDir() + "/read_file_missing";
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  EXPECT_TRUE(absl::IsNotFound(read.status())) << read.status();
  EXPECT_NE(read.status().message().find(path), absl::string_view::npos);
}

TEST(ReadWholeFile, FolderIsRefused) {
  absl::StatusOr<std::string> read = ReadWholeFile(TempDir());
  EXPECT_FALSE(read.ok());
}

}  // namespace
}  // namespace common
