#include "common/durable_file.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace common {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int ModeOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return st.st_mode & 0777;
}

TEST(WriteFileDurably, ReplacesTheFileAndLeavesNoTemporary) {
  const std::string path = TempDir() + "/durable_replace";
  ASSERT_TRUE(WriteFileDurably(path, "first").ok());
  ASSERT_TRUE(WriteFileDurably(path, std::string("sec\0ond", 7), 0600).ok());
  EXPECT_EQ(Slurp(path), std::string("sec\0ond", 7));
  EXPECT_FALSE(PathExists(path + ".tmp"));
}

TEST(WriteFileDurably, CreatesWithTheGivenMode) {
  const std::string path = TempDir() + "/durable_mode";
  ASSERT_TRUE(WriteFileDurably(path, "secret", 0600).ok());
  EXPECT_EQ(ModeOf(path), 0600);
}

TEST(WriteFileDurably, OverwritesAStaleTemporaryFromACrash) {
  const std::string path = TempDir() + "/durable_stale";
  std::ofstream(path + ".tmp") << "a much longer half-written leftover";
  ASSERT_TRUE(WriteFileDurably(path, "new").ok());
  EXPECT_EQ(Slurp(path), "new");
}

TEST(WriteFileDurably, MissingFolderIsNotFoundAndWritesNothing) {
  const std::string path = TempDir() + "/no_such_folder/file";
  const absl::Status status = WriteFileDurably(path, "x");
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_NE(status.message().find(path + ".tmp"), absl::string_view::npos);
  EXPECT_FALSE(PathExists(path));
}

TEST(RenameDurably, MovesAndFailsWhenSourceIsMissing) {
  const std::string from = TempDir() + "/durable_from";
  const std::string to = TempDir() + "/durable_to";
  std::ofstream(from) << "moved";
  ASSERT_TRUE(RenameDurably(from, to).ok());
  EXPECT_EQ(Slurp(to), "moved");
  EXPECT_FALSE(PathExists(from));
  EXPECT_TRUE(absl::IsNotFound(RenameDurably(from, to)));
}

TEST(SyncDir, SyncsAFolderAndRefusesAMissingOne) {
  EXPECT_TRUE(SyncDir(TempDir()).ok());
  EXPECT_TRUE(SyncParentDir("relative_name").ok());
  EXPECT_TRUE(absl::IsNotFound(SyncDir(TempDir() + "/missing_dir")));
}

}  // namespace
}  // namespace common
