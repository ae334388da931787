#include "ledger/crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace ledger::crypto {
namespace {

// RFC 8032 TEST 1.
constexpr char kSeedHex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    ASSERT_NE(tmp, nullptr);
    dir_ = absl::StrCat(
        tmp, "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(mkdir(dir_.c_str(), 0700), 0);
  }

  std::string Path(absl::string_view name) {
    return absl::StrCat(dir_, "/", name);
  }

  static std::unique_ptr<SigningKey> TestKey() {
    return *SigningKey::FromSeed(absl::HexStringToBytes(kSeedHex));
  }

  static void WriteRaw(const std::string& path, absl::string_view content,
                       mode_t mode) {
    const int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, mode);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
    ASSERT_EQ(fchmod(fd, mode), 0);
    close(fd);
  }

  static std::string ReadRaw(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string dir_;
};

TEST_F(KeyFileTest, SecretKeyRoundTrip) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSecretKeyFile(path, *TestKey()).ok());
  auto key = ReadSecretKeyFile(path);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ((*key)->public_key(), TestKey()->public_key());
  EXPECT_EQ((*key)->Sign("x"), TestKey()->Sign("x"));
}

TEST_F(KeyFileTest, SecretKeyFileHasExactFormat) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSecretKeyFile(path, *TestKey()).ok());
  EXPECT_EQ(ReadRaw(path),
            "aifl-ed25519-secret-key-v1\n"
            "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n");
}

TEST_F(KeyFileTest, WrittenSecretKeyFileHasMode0600) {
  const mode_t old_umask = umask(0);  // Must not widen the mode.
  const std::string path = Path("log.key");
  const absl::Status status = WriteSecretKeyFile(path, *TestKey());
  umask(old_umask);
  ASSERT_TRUE(status.ok()) << status;
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(KeyFileTest, RefusesToOverwrite) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSecretKeyFile(path, *TestKey()).ok());
  auto other = SigningKey::Generate();
  ASSERT_TRUE(other.ok());
  const absl::Status status = WriteSecretKeyFile(path, **other);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  auto key = ReadSecretKeyFile(path);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*key)->public_key(), TestKey()->public_key());  // Unchanged.
}

TEST_F(KeyFileTest, RefusesFileReadableByOthers) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSecretKeyFile(path, *TestKey()).ok());
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto key = ReadSecretKeyFile(path);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(key.status().message(),
            absl::StrCat("key file ", path,
                         " is readable by others (mode 0644); chmod 600 it"));
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  EXPECT_EQ(ReadSecretKeyFile(path).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_EQ(chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(ReadSecretKeyFile(path).ok());
}

TEST_F(KeyFileTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadSecretKeyFile(Path("nope")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(KeyFileTest, RejectsMalformedContent) {
  const std::string good_b64 = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
  const std::pair<std::string, std::string> cases[] = {
      {"", "line 1"},
      {"aifl-ed25519-public-key-v1\n" + good_b64 + "\n", "line 1"},
      {"aifl-ed25519-secret-key-v1", "line 1: missing newline"},
      {"aifl-ed25519-secret-key-v1\n", "line 2: missing"},
      {"aifl-ed25519-secret-key-v1\n" + good_b64, "not terminated"},
      {"aifl-ed25519-secret-key-v1\n" + good_b64 + "\n\n", "after line 2"},
      {"aifl-ed25519-secret-key-v1\r\n" + good_b64 + "\n", "line 1"},
      {"aifl-ed25519-secret-key-v1\nnWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2"
       "\n",
       "line 2: got invalid base64"},
      {"aifl-ed25519-secret-key-v1\nnWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2"
       "A\n",
       "line 2: got invalid base64"},
      {"aifl-ed25519-secret-key-v1\nnWGx!e/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2"
       "A=\n",
       "line 2: got invalid base64"},
      {"aifl-ed25519-secret-key-v1\nnWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyu\n",
       "line 2: got base64 of 30 bytes"},
  };
  int i = 0;
  for (const auto& [content, want] : cases) {
    const std::string path = Path(absl::StrCat("bad", i++));
    WriteRaw(path, content, 0600);
    auto key = ReadSecretKeyFile(path);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument)
        << content;
    EXPECT_NE(key.status().message().find(want), absl::string_view::npos)
        << key.status() << " want " << want;
    // Secret material is never echoed.
    EXPECT_EQ(key.status().message().find("nWGx"), absl::string_view::npos)
        << key.status();
  }
}

TEST_F(KeyFileTest, PublicKeyRoundTrip) {
  const std::string path = Path("log.key.pub");
  const PublicKey key = TestKey()->public_key();
  ASSERT_TRUE(WritePublicKeyFile(path, key).ok());
  EXPECT_EQ(ReadRaw(path),
            "aifl-ed25519-public-key-v1\n"
            "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n");
  auto read = ReadPublicKeyFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, key);
  EXPECT_EQ(WritePublicKeyFile(path, key).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(KeyFileTest, PublicKeyFileRejectsSmallOrderKey) {
  const std::string path = Path("zero.pub");
  WriteRaw(path,
           "aifl-ed25519-public-key-v1\n"
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
           0644);
  auto key = ReadPublicKeyFile(path);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("small-order"), absl::string_view::npos)
      << key.status();
}

}  // namespace
}  // namespace ledger::crypto
