#include "ledger/note/cosignature.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ledger/note/signed_note.h"

namespace ledger::note {
namespace {

// The checkpoint body of the C2SP tlog-cosignature example.
constexpr absl::string_view kSpecBody =
    "example.com/behind-the-sofa\n20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

// Seed i*7+3, as in tests/interop; the expected strings below were computed
// with Python's `cryptography` (pyca) from the spec's definitions, not with
// this code.
std::unique_ptr<crypto::SigningKey> FixedKey() {
  std::string seed(32, '\0');
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<char>(i * 7 + 3);
  return *crypto::SigningKey::FromSeed(seed);
}
constexpr absl::string_view kName = "witness.example.eu/w1";
constexpr absl::string_view kVkey =
    "witness.example.eu/w1+48da63e0+BHVcTLklbKfNxKz9xs/"
    "u2oSQF+W5+VFOmRkb1n4LDUJ2";
constexpr absl::string_view kLineAt1679315147 =
    "\xe2\x80\x94 witness.example.eu/w1 "
    "SNpj4AAAAABkGFDLzvJ1+QL2fdGVjIqUU0/"
    "XEfTml1FspL6ZzeSzhUwTqMbyGQsFVNfb0rAt43A"
    "oANC2DGD1Po9zPv2yZXQ1m3T2CA==\n";

TEST(CosignatureTest, SignedMessageIsTheSpecLayout) {
  EXPECT_EQ(CosignatureV1Message(1679315147, kSpecBody),
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n"
            "20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_EQ(CosignatureV1Message(0, "o\n0\nx\n"),
            "cosignature/v1\ntime 0\no\n0\nx\n");
}

TEST(CosignatureTest, SpecExampleLineFramesKeyIdAndTimestamp) {
  // c2sp.org/tlog-cosignature's example (its keys are not published, so only
  // the framing can be checked): key id 8d66cf3f, time 1679315147.
  const std::string note =
      absl::StrCat(kSpecBody,
                   "\n\xe2\x80\x94 example.com/behind-the-sofa "
                   "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
                   "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
                   "\xe2\x80\x94 witness.example.com/w1 "
                   "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/"
                   "zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1"
                   "nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n");
  absl::StatusOr<SplitNote> split = SplitSignedNote(note);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(split->text, kSpecBody);
  ASSERT_EQ(split->signatures.size(), 2u);
  const SignatureLine& cosig = split->signatures[1];
  EXPECT_EQ(cosig.name, "witness.example.com/w1");
  EXPECT_EQ(cosig.key_id, 0x8d66cf3fu);
  ASSERT_EQ(cosig.signature.size(), kCosignatureV1Bytes);
  uint64_t timestamp = 0;
  for (int i = 0; i < 8; ++i) {
    timestamp = timestamp << 8 | static_cast<uint8_t>(cosig.signature[i]);
  }
  EXPECT_EQ(timestamp, 1679315147u);
}

TEST(CosignatureTest, GoldenKeyIdVerifierKeyAndLine) {
  auto cosigner = Cosigner::Create(kName, FixedKey());
  ASSERT_TRUE(cosigner.ok()) << cosigner.status();
  EXPECT_EQ((*cosigner)->key_id(), 0x48da63e0u);
  EXPECT_EQ((*cosigner)->VerifierKey(), kVkey);
  absl::StatusOr<std::string> line =
      (*cosigner)->CosignatureLine(kSpecBody, 1679315147);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(*line, kLineAt1679315147);
  // The same key's note (type 0x01) key id differs: one key, two types.
  EXPECT_NE(NoteKeyId(kName, (*cosigner)->public_key()), 0x48da63e0u);
}

TEST(CosignatureTest, VerifiesAndReturnsTheTimestamp) {
  auto verifier = CosignatureVerifier::FromVerifierKey(kVkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->VerifierKey(), kVkey);
  absl::StatusOr<SplitNote> split =
      SplitSignedNote(absl::StrCat(kSpecBody, "\n", kLineAt1679315147));
  ASSERT_TRUE(split.ok()) << split.status();
  const std::string& sig = split->signatures[0].signature;
  absl::StatusOr<uint64_t> ts = verifier->Verify(kSpecBody, sig);
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(*ts, 1679315147u);

  // Another body, another timestamp, a truncated signature: refused.
  EXPECT_EQ(verifier->Verify("example.com/behind-the-sofa\n1\nAAAA\n", sig)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  std::string later = sig;
  later[7] = static_cast<char>(later[7] + 1);
  EXPECT_EQ(verifier->Verify(kSpecBody, later).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier->Verify(kSpecBody, sig.substr(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string huge = sig;
  huge[0] = static_cast<char>(0x80);
  EXPECT_EQ(verifier->Verify(kSpecBody, huge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CosignatureTest, RefusesWrongTypesAndBadInput) {
  // A log's (type 0x01) vkey is not a cosigner's key, and vice versa.
  auto log_vkey = VerifierKeyString(kName, FixedKey()->public_key());
  auto as_cosigner = CosignatureVerifier::FromVerifierKey(log_vkey);
  ASSERT_FALSE(as_cosigner.ok());
  EXPECT_NE(as_cosigner.status().message().find("want 0x04"),
            absl::string_view::npos);
  EXPECT_FALSE(NoteVerifier::FromVerifierKey(kVkey).ok());
  // A key id that does not match.
  std::string bad(kVkey);
  bad.replace(bad.find("48da63e0"), 8, "48da63e1");
  EXPECT_FALSE(CosignatureVerifier::FromVerifierKey(bad).ok());

  auto cosigner = Cosigner::Create(kName, FixedKey());
  ASSERT_TRUE(cosigner.ok());
  EXPECT_FALSE((*cosigner)->CosignatureLine("no newline", 1).ok());
  EXPECT_FALSE((*cosigner)->CosignatureLine("", 1).ok());
  EXPECT_FALSE((*cosigner)
                   ->CosignatureLine(kSpecBody, kMaxCosignatureTimestamp + 1)
                   .ok());
  EXPECT_FALSE(Cosigner::Create("has space", FixedKey()).ok());
  EXPECT_FALSE(Cosigner::Create(kName, nullptr).ok());
}

}  // namespace
}  // namespace ledger::note
