#include "ledger/crypto/key_id.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "ledger/crypto/sha256.h"

namespace ledger::crypto {
namespace {

PublicKey Rfc8032Test1Key() {
  return *PublicKey::FromBytes(absl::HexStringToBytes(
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
}

TEST(KeyIdTest, IsTruncatedSha256OfContextAndKey) {
  const PublicKey key = Rfc8032Test1Key();
  const Sha256Digest digest = Sha256({"aifl key id v1\n", key.bytes()});
  const std::string want = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), 16));
  EXPECT_EQ(ComputeKeyId(key).ToString(), want);
}

TEST(KeyIdTest, GoldenValue) {
  // Pinned so that a change to the definition cannot go unnoticed. Computed
  // independently: printf 'aifl key id v1\n' + key bytes | sha256sum.
  EXPECT_EQ(ComputeKeyId(Rfc8032Test1Key()).ToString(),
            "e5c3f39f931773154e7519d7f97e438f");
}

TEST(KeyIdTest, RoundTripsThroughHex) {
  const KeyId id = ComputeKeyId(Rfc8032Test1Key());
  auto parsed = KeyId::FromString(id.ToString());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, id);
  std::string upper = id.ToString();
  for (char& c : upper) c = static_cast<char>(toupper(c));
  auto parsed_upper = KeyId::FromString(upper);
  ASSERT_TRUE(parsed_upper.ok());
  EXPECT_EQ(*parsed_upper, id);
}

TEST(KeyIdTest, FromStringRejectsBadInput) {
  EXPECT_EQ(KeyId::FromString("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeyId::FromString(std::string(31, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeyId::FromString(std::string(33, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeyId::FromString(std::string(31, 'a') + "g").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger::crypto
