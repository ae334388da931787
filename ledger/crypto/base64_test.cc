#include "ledger/crypto/base64.h"

#include <sodium.h>

#include <optional>
#include <random>
#include <string>

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

namespace ledger::crypto {
namespace {

// libsodium's strict decoder (padded, no ignored characters, whole input),
// with the alphabet check it lacks for bytes >= 0x80: what Base64Decode
// accepted before its table decoder.
std::optional<std::string> SodiumDecode(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

TEST(Base64Test, AcceptsAndDecodesExactlyWhatLibsodiumDoes) {
  ASSERT_GE(sodium_init(), 0);
  // Short strings over the alphabet, '=' and a few strangers: every
  // placement of padding, every unused-bits pattern, lengths off by one.
  const std::string chars = "AQgwZz09+/==-_ \n\x80\xff";
  std::mt19937 rng(17);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text(rng() % 13, 'A');
    for (char& c : text) c = chars[rng() % chars.size()];
    const std::optional<std::string> want = SodiumDecode(text);
    const absl::StatusOr<std::string> got = Base64Decode(text);
    ASSERT_EQ(got.ok(), want.has_value()) << "\"" << text << "\"";
    if (want.has_value()) {
      ++accepted;
      ASSERT_EQ(*got, *want) << "\"" << text << "\"";
    }
  }
  EXPECT_GT(accepted, 1000);  // The comparison covered valid inputs too.
  // Round trips of random bytes of every length up to 100.
  for (size_t n = 0; n <= 100; ++n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    const absl::StatusOr<std::string> back = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, bytes);
  }
}

}  // namespace
}  // namespace ledger::crypto
