#include "ledger/crypto/ed25519.h"

#include <sodium.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace ledger::crypto {
namespace {

std::string Hex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

struct Rfc8032Vector {
  const char* name;
  const char* secret;  // The 32-byte seed.
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, copied as hex.
const Rfc8032Vector kRfc8032Vectors[] = {
    {"TEST 1",
     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2",
     "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3",
     "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024",
     "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
     "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
     "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
     "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
     "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
     "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
     "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
     "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
     "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
     "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
     "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
     "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
     "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
     "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
     "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
     "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
     "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
     "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
     "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
     "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
     "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
     "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)",
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

TEST(Ed25519Test, Rfc8032VectorsSignAndVerify) {
  for (const Rfc8032Vector& v : kRfc8032Vectors) {
    SCOPED_TRACE(v.name);
    auto key = SigningKey::FromSeed(Hex(v.secret));
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ((*key)->public_key().bytes(), Hex(v.public_key));
    const std::string message = Hex(v.message);
    EXPECT_EQ(absl::BytesToHexString((*key)->Sign(message)), v.signature);

    auto public_key = PublicKey::FromBytes(Hex(v.public_key));
    ASSERT_TRUE(public_key.ok()) << public_key.status();
    EXPECT_TRUE(public_key->Verify(message, Hex(v.signature)).ok());
  }
}

TEST(Ed25519Test, Rfc8032Test1024MessageIs1023Bytes) {
  EXPECT_EQ(Hex(kRfc8032Vectors[3].message).size(), 1023u);
}

TEST(Ed25519Test, GeneratedKeySignsAndVerifies) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status();
  const std::string signature = (*key)->Sign("hello");
  EXPECT_EQ(signature.size(), kEd25519SignatureSize);
  EXPECT_TRUE((*key)->public_key().Verify("hello", signature).ok());
  auto again = PublicKey::FromBytes((*key)->public_key().bytes());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, (*key)->public_key());
}

TEST(Ed25519Test, SignatureFromOneKeyDoesNotVerifyUnderAnother) {
  auto a = SigningKey::Generate();
  auto b = SigningKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_NE((*a)->public_key(), (*b)->public_key());
  const absl::Status status =
      (*b)->public_key().Verify("message", (*a)->Sign("message"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(), "signature does not verify");
}

TEST(Ed25519Test, AlteredMessageDoesNotVerify) {
  auto key = SigningKey::FromSeed(Hex(kRfc8032Vectors[2].secret));
  ASSERT_TRUE(key.ok());
  const std::string signature = (*key)->Sign("message");
  EXPECT_EQ((*key)->public_key().Verify("messagE", signature).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(Ed25519Test, FromSeedRejectsWrongLength) {
  EXPECT_EQ(SigningKey::FromSeed(std::string(31, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromSeed(std::string(64, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Ed25519Test, MovedKeyKeepsSigning) {
  auto key = SigningKey::FromSeed(Hex(kRfc8032Vectors[0].secret));
  ASSERT_TRUE(key.ok());
  SigningKey moved(std::move(**key));
  EXPECT_EQ(absl::BytesToHexString(moved.Sign("")),
            kRfc8032Vectors[0].signature);
  auto other = SigningKey::Generate();
  ASSERT_TRUE(other.ok());
  **other = std::move(moved);
  EXPECT_EQ(absl::BytesToHexString((*other)->Sign("")),
            kRfc8032Vectors[0].signature);
}

TEST(Ed25519Test, ExportSeedReturnsTheSeed) {
  auto key = SigningKey::FromSeed(Hex(kRfc8032Vectors[1].secret));
  ASSERT_TRUE(key.ok());
  std::array<uint8_t, kEd25519SeedSize> seed;
  (*key)->ExportSeed(absl::MakeSpan(seed));
  EXPECT_EQ(absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(seed.data()), seed.size())),
            kRfc8032Vectors[1].secret);
}

// --- Public key checks -----------------------------------------------------

TEST(PublicKeyTest, RejectsWrongLength) {
  for (size_t len : {0, 31, 33, 64}) {
    auto key = PublicKey::FromBytes(std::string(len, '\x11'));
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << len;
    EXPECT_NE(key.status().message().find("want 32"), absl::string_view::npos);
  }
}

TEST(PublicKeyTest, RejectsAllZeroKey) {
  auto key = PublicKey::FromBytes(std::string(32, '\0'));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("small-order"),
            absl::string_view::npos);
}

// Canonical encodings of the eight points of order dividing 8, with both
// sign bits where x != 0.
std::vector<std::string> SmallOrderEncodings() {
  std::vector<std::string> out;
  for (const char* y :
       {"0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
    std::string p = Hex(y);
    out.push_back(p);
    p[31] = static_cast<char>(p[31] | 0x80);  // The other sign of x.
    out.push_back(p);
  }
  return out;
}

// Proves the blocklist in ed25519.cc right, independently of it: every listed
// encoding that decodes to a point P has 8P = identity (computed with
// crypto_core_ed25519_add, which does not reject small-order inputs).
TEST(PublicKeyTest, SmallOrderListIsSmallOrder) {
  const std::string identity =
      Hex("0100000000000000000000000000000000000000000000000000000000000000");
  int decoded = 0;
  for (const std::string& p : SmallOrderEncodings()) {
    unsigned char q[32];
    std::string acc = p;
    bool ok = true;
    for (int i = 0; i < 3 && ok; ++i) {  // acc = 2^3 * p.
      ok = crypto_core_ed25519_add(
               q, reinterpret_cast<const unsigned char*>(acc.data()),
               reinterpret_cast<const unsigned char*>(acc.data())) == 0;
      acc.assign(reinterpret_cast<char*>(q), 32);
    }
    if (!ok) continue;  // "x = -0" encodings do not decode.
    ++decoded;
    EXPECT_EQ(acc, identity) << absl::BytesToHexString(p);
  }
  EXPECT_GE(decoded, 7);  // All but the sign variants of x = 0 decode.
}

TEST(PublicKeyTest, RejectsSmallOrderPoints) {
  for (const std::string& p : SmallOrderEncodings()) {
    auto key = PublicKey::FromBytes(p);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument)
        << absl::BytesToHexString(p);
    EXPECT_NE(key.status().message().find("small-order"),
              absl::string_view::npos)
        << key.status();
  }
}

TEST(PublicKeyTest, RejectsNonCanonicalEncoding) {
  // y = p + 2 (a non-canonical encoding of y = 2) and all ones: both are
  // rejected on the encoding alone, before any decoding.
  for (const char* hex :
       {"efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}) {
    auto key = PublicKey::FromBytes(Hex(hex));
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << hex;
    EXPECT_NE(key.status().message().find("non-canonical"),
              absl::string_view::npos)
        << key.status();
  }
}

TEST(PublicKeyTest, RejectsPointOffTheCurve) {
  // y = 2 has no x on edwards25519 (x^2 = (y^2 - 1) / (d y^2 + 1) is not a
  // square), so this encoding is not a point.
  auto key = PublicKey::FromBytes(
      Hex("0200000000000000000000000000000000000000000000000000000000000000"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("prime-order subgroup"),
            absl::string_view::npos)
      << key.status();
}

TEST(PublicKeyTest, RejectsMixedOrderPoint) {
  // A valid key plus a point of order 2 (y = -1, x = 0) is on the curve but
  // has a torsion component.
  const std::string a = Hex(kRfc8032Vectors[0].public_key);
  const std::string t =
      Hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  unsigned char sum[32];
  ASSERT_EQ(crypto_core_ed25519_add(
                sum, reinterpret_cast<const unsigned char*>(a.data()),
                reinterpret_cast<const unsigned char*>(t.data())),
            0);
  auto key = PublicKey::FromBytes(
      absl::string_view(reinterpret_cast<char*>(sum), sizeof sum));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("small-order component"),
            absl::string_view::npos)
      << key.status();
}

// --- Wycheproof (C2SP/wycheproof testvectors/eddsa_test.json, first test
// group: pk 7d4d0e7f...49fa, sk add4bb81...d64b). ----------------------------

constexpr char kWycheproofPublicKey[] =
    "7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa";

struct WycheproofCase {
  int tc_id;
  const char* comment;
  const char* msg;
  const char* sig;
  absl::StatusCode want;
  const char* want_message_part;  // Substring of the error; "" for OK.
};

const WycheproofCase kWycheproofCases[] = {
    {1, "valid, empty message", "",
     "d4fbdb52bfa726b44d1786a8c0d171c3e62ca83c9e5bbe63de0bb2483f8fd6cc"
     "1429ab72cafc41ab56af02ff8fcc43b99bfe4c7ae940f60f38ebaa9d311c4007",
     absl::StatusCode::kOk, ""},
    {3, "valid", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0"
     "7a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d",
     absl::StatusCode::kOk, ""},
    {10, "R = 0 (small order), S = 0", "3f",
     "0000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000",
     absl::StatusCode::kInvalidArgument, "small-order"},
    {13, "S = L", "3f",
     "0000000000000000000000000000000000000000000000000000000000000000"
     "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
     absl::StatusCode::kInvalidArgument, "non-canonical S"},
    {15, "R = identity (small order), S = 0", "3f",
     "0100000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000",
     absl::StatusCode::kInvalidArgument, "small-order"},
    {25, "R = p (non-canonical)", "3f",
     "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
     "0000000000000000000000000000000000000000000000000000000000000000",
     absl::StatusCode::kInvalidArgument, "canonically"},
    {30, "empty signature", "54657374", "", absl::StatusCode::kInvalidArgument,
     "want 64"},
    {31, "s missing", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0",
     absl::StatusCode::kInvalidArgument, "want 64"},
    {33, "signature too long", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0"
     "7a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d2020",
     absl::StatusCode::kInvalidArgument, "want 64"},
    {37, "appending 0 byte to signature", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0"
     "7a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d00",
     absl::StatusCode::kInvalidArgument, "want 64"},
    {42, "modified bit 0 in R", "313233343030",
     "647c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281c2b"
     "1d125e5538f38afbcc1c84e489521083041d24bc6240767029da063271a1ff0c",
     absl::StatusCode::kUnauthenticated, "signature does not verify"},
    {63, "checking malleability (S + n*L)", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0"
     "67654bce3832c2d76f8f6f5dafc08d9339d4eef676573336a5c51eb6f946b31d",
     absl::StatusCode::kInvalidArgument, "non-canonical S"},
    {67, "checking malleability (S with high bits set)", "54657374",
     "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0"
     "7a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b32d",
     absl::StatusCode::kInvalidArgument, "non-canonical S"},
};

TEST(WycheproofTest, EddsaTestJsonCases) {
  auto key = PublicKey::FromBytes(Hex(kWycheproofPublicKey));
  ASSERT_TRUE(key.ok()) << key.status();
  for (const WycheproofCase& c : kWycheproofCases) {
    SCOPED_TRACE(testing::Message() << "tcId " << c.tc_id << ": " << c.comment);
    const absl::Status status = key->Verify(Hex(c.msg), Hex(c.sig));
    EXPECT_EQ(status.code(), c.want) << status;
    EXPECT_NE(status.message().find(c.want_message_part),
              absl::string_view::npos)
        << status;
  }
}

// S + L of a valid signature: the classic malleability of Ed25519 without the
// S < L check (RFC 8032 section 5.1.7 step 1).
TEST(WycheproofTest, RejectsSPlusL) {
  auto key = PublicKey::FromBytes(Hex(kWycheproofPublicKey));
  ASSERT_TRUE(key.ok());
  std::string sig = Hex(kWycheproofCases[1].sig);  // tcId 3, valid.
  ASSERT_TRUE(key->Verify("Test", sig).ok());
  const std::string l =
      Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    const unsigned sum =
        static_cast<uint8_t>(sig[32 + i]) + static_cast<uint8_t>(l[i]) + carry;
    sig[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  const absl::Status status = key->Verify("Test", sig);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("non-canonical S"), absl::string_view::npos);
}

}  // namespace
}  // namespace ledger::crypto
