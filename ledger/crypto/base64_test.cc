#include "ledger/crypto/base64.h"

#include "gtest/gtest.h"

namespace ledger::crypto {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, RejectsNonCanonicalInput) {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Zh==", "Zm9v\n", " Zm9v",
                          "Zm 9v", "Zm-v", "Zm_v", "Z===", "Zm9vYmFy="}) {
    EXPECT_EQ(Base64Decode(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace ledger::crypto

namespace ledger::crypto {
namespace {

// Debian's libsodium 1.0.18 decodes bytes >= 0x80 as alphabet characters;
// found by tests/fuzz:note_fuzz (corpus file regression_high_bit_base64_root).
TEST(Base64RegressionTest, RejectsBytesOutsideTheAlphabet) {
  for (int c = 0x80; c <= 0xff; ++c) {
    const std::string text = std::string("AAA") + static_cast<char>(c);
    EXPECT_FALSE(Base64Decode(text).ok()) << "byte " << c;
  }
  EXPECT_FALSE(Base64Decode("AA A").ok());
  EXPECT_TRUE(Base64Decode("AAAA").ok());
}

}  // namespace
}  // namespace ledger::crypto
