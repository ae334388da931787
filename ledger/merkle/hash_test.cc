#include "ledger/merkle/hash.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ledger::merkle {
namespace {

using ::testing::HasSubstr;

Hash FromHex(absl::string_view hex) {
  absl::StatusOr<Hash> hash = HashFromHex(hex);
  EXPECT_TRUE(hash.ok()) << hash.status();
  return hash.ok() ? *hash : Hash{};
}

TEST(HashTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(HashToHex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// Vectors from transparency-dev/merkle rfc6962/rfc6962_test.go and
// proof/verify_test.go (roots of the 1- and 2-leaf trees).
TEST(HashTest, HashLeafPrependsZeroByte) {
  EXPECT_EQ(HashToHex(HashLeaf("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(HashToHex(HashLeaf("L123456")),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
}

TEST(HashTest, HashChildrenPrependsOneByte) {
  EXPECT_EQ(
      HashToHex(HashChildren(HashLeaf(""), HashLeaf(std::string(1, '\0')))),
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  // The prefix makes a leaf hash and a node hash of the same bytes differ.
  const Hash a = HashLeaf("a"), b = HashLeaf("b");
  std::string concatenated(a.begin(), a.end());
  concatenated.append(b.begin(), b.end());
  EXPECT_NE(HashChildren(a, b), HashLeaf(concatenated));
}

TEST(HashTest, FoldSubtreesFoldsRightToLeft) {
  const Hash a = HashLeaf("a"), b = HashLeaf("b"), c = HashLeaf("c");
  EXPECT_EQ(FoldSubtrees({}), EmptyRoot());
  EXPECT_EQ(FoldSubtrees({a}), a);
  EXPECT_EQ(FoldSubtrees({a, b, c}), HashChildren(a, HashChildren(b, c)));
}

TEST(HashTest, HexRoundTripsAndAcceptsUpperCase) {
  const Hash h = HashLeaf("x");
  EXPECT_EQ(FromHex(HashToHex(h)), h);
  std::string upper = HashToHex(h);
  for (char& c : upper) c = std::toupper(c);
  EXPECT_EQ(FromHex(upper), h);
}

TEST(HashTest, HexRejectsWrongLength) {
  absl::StatusOr<Hash> h = HashFromHex("abcd");
  EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(h.status().message(), HasSubstr("got 4 characters, want 64"));
}

TEST(HashTest, HexRejectsNonHexCharacter) {
  std::string hex = HashToHex(EmptyRoot());
  hex[7] = 'g';
  absl::StatusOr<Hash> h = HashFromHex(hex);
  EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(h.status().message(), HasSubstr("'g' at offset 7"));
}

TEST(HashTest, Base64IsStandardPadded) {
  EXPECT_EQ(HashToBase64(EmptyRoot()),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  absl::StatusOr<Hash> h =
      HashFromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(*h, EmptyRoot());
}

TEST(HashTest, Base64RejectsWrongLength) {
  absl::StatusOr<Hash> h = HashFromBase64("47DEQpj8HBSa");
  EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(h.status().message(), HasSubstr("got 12 characters, want 44"));
}

TEST(HashTest, Base64RejectsUrlAlphabetMissingPaddingAndNonCanonical) {
  for (const char* bad : {
           "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",  // URL alphabet.
           "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUA",  // No padding.
           "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=",  // Trailing bits.
           "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu===",  // 31 bytes.
       }) {
    absl::StatusOr<Hash> h = HashFromBase64(bad);
    EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(h.status().message(), HasSubstr("not canonical")) << bad;
  }
}

}  // namespace
}  // namespace ledger::merkle

namespace ledger::merkle {
namespace {

TEST(HashBase64RegressionTest, RejectsHighBitBytes) {
  std::string text = HashToBase64(EmptyRoot());
  text[10] = static_cast<char>(0xf6);
  EXPECT_FALSE(HashFromBase64(text).ok());
}

}  // namespace
}  // namespace ledger::merkle
