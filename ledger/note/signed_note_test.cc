#include "ledger/note/signed_note.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "ledger/crypto/base64.h"
#include "ledger/note/checkpoint.h"

namespace ledger::note {
namespace {

// The example key of golang.org/x/mod/sumdb/note (note.go, note_test.go) and
// of c2sp.org/signed-note's predecessor text.
constexpr char kPeterPrivateKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+"
    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kPeterVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kPeterText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterSignatureLine[] =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngo"
    "tpRZb6KE6RyyBwJnAM=\n";
// From note.go's doc comment: a second signature by the key "EnochRoot",
// whose verifier key we do not have.
constexpr char kEnochSignatureLine[] =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGw"
    "nWLox33WWd1RvMc+QQ=\n";

std::string PeterNote() {
  return absl::StrCat(kPeterText, "\n", kPeterSignatureLine);
}

// Builds a NoteSigner from a Go-style "PRIVATE+KEY+name+hash+base64" key.
std::unique_ptr<NoteSigner> SignerFromGoPrivateKey(absl::string_view skey) {
  // PRIVATE+KEY+<name>+<hash>+<base64>; the base64 may itself contain '+'.
  const std::vector<absl::string_view> parts =
      absl::StrSplit(skey, absl::MaxSplits('+', 4));
  EXPECT_EQ(parts.size(), 5u);
  auto typed = crypto::Base64Decode(parts[4]);
  EXPECT_TRUE(typed.ok());
  EXPECT_EQ((*typed)[0], 1);
  auto key = crypto::SigningKey::FromSeed(absl::string_view(*typed).substr(1));
  EXPECT_TRUE(key.ok());
  auto signer = NoteSigner::Create(parts[2], std::move(*key));
  EXPECT_TRUE(signer.ok());
  return std::move(*signer);
}

NoteVerifier PeterVerifier() {
  return *NoteVerifier::FromVerifierKey(kPeterVerifierKey);
}

TEST(SignedNoteTest, SignerMatchesGoExampleByteForByte) {
  auto signer = SignerFromGoPrivateKey(kPeterPrivateKey);
  EXPECT_EQ(signer->key_id(), 0xc74f20a3u);
  EXPECT_EQ(signer->VerifierKey(), kPeterVerifierKey);
  auto note = signer->Sign(kPeterText);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, PeterNote());
}

TEST(SignedNoteTest, VerifierKeyRoundTrips) {
  const NoteVerifier v = PeterVerifier();
  EXPECT_EQ(v.name(), "PeterNeumann");
  EXPECT_EQ(v.key_id(), 0xc74f20a3u);
  EXPECT_EQ(v.VerifierKey(), kPeterVerifierKey);
  EXPECT_EQ(VerifierKeyString("PeterNeumann", v.public_key()),
            kPeterVerifierKey);
}

// A verifier key is split at its first two '+' only: the base64 key may
// contain '+' (ledger/FORMAT.md, "Checkpoints"). Seeds are tried in order
// until a key's base64 holds a '+', so the test is deterministic.
TEST(SignedNoteTest, VerifierKeyWhoseBase64HoldsPlusParses) {
  for (int i = 0; i < 256; ++i) {
    const std::string seed(32, static_cast<char>(i));
    auto key = crypto::SigningKey::FromSeed(seed);
    ASSERT_TRUE(key.ok()) << key.status();
    auto signer =
        NoteSigner::Create("factory.example.eu/ledger", std::move(*key));
    ASSERT_TRUE(signer.ok()) << signer.status();
    const std::string vkey = (*signer)->VerifierKey();
    const size_t base64_start = vkey.find('+', vkey.find('+') + 1) + 1;
    if (vkey.find('+', base64_start) == std::string::npos) continue;
    auto v = NoteVerifier::FromVerifierKey(vkey);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->key_id(), (*signer)->key_id());
    EXPECT_EQ(v->VerifierKey(), vkey);
    return;
  }
  FAIL() << "no seed below 256 gave a base64 key with '+'";
}

TEST(SignedNoteTest, OpensGoExample) {
  auto note = OpenNote(PeterNote(), {PeterVerifier()});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->text, kPeterText);
  ASSERT_EQ(note->verified.size(), 1u);
  EXPECT_EQ(note->verified[0].name, "PeterNeumann");
  EXPECT_EQ(note->verified[0].key_id, 0xc74f20a3u);
  EXPECT_TRUE(note->unverified.empty());
}

TEST(SignedNoteTest, IgnoresSignaturesByUnknownKeys) {
  for (const std::string& text :
       {absl::StrCat(kPeterText, "\n", kPeterSignatureLine,
                     kEnochSignatureLine),
        absl::StrCat(kPeterText, "\n", kEnochSignatureLine,
                     kPeterSignatureLine)}) {
    auto note = OpenNote(text, {PeterVerifier()});
    ASSERT_TRUE(note.ok()) << note.status();
    ASSERT_EQ(note->verified.size(), 1u);
    ASSERT_EQ(note->unverified.size(), 1u);
    EXPECT_EQ(note->unverified[0].name, "EnochRoot");
  }
}

TEST(SignedNoteTest, RejectsNoteSignedOnlyByUnknownKeys) {
  auto note = OpenNote(absl::StrCat(kPeterText, "\n", kEnochSignatureLine),
                       {PeterVerifier()});
  EXPECT_EQ(note.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(note.status().message().find("no signature by a known key"),
            absl::string_view::npos)
      << note.status();
  EXPECT_EQ(OpenNote(PeterNote(), {}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(SignedNoteTest, SameNameOtherKeyIdIsUnknown) {
  // A signature claiming PeterNeumann with another key id is from an unknown
  // key: ignored, so the note has no known signature.
  std::string raw = *crypto::Base64Decode(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
      "gotpRZb6KE6RyyBwJnAM=");
  raw[3] ^= 1;
  const std::string text =
      absl::StrCat(kPeterText, "\n\xe2\x80\x94 PeterNeumann ",
                   crypto::Base64Encode(raw), "\n");
  auto note = OpenNote(text, {PeterVerifier()});
  EXPECT_EQ(note.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(note.status().message().find("PeterNeumann+c74f20a2"),
            absl::string_view::npos)
      << note.status();
}

TEST(SignedNoteTest, RejectsFlippedByteInText) {
  std::string text = PeterNote();
  text[3] ^= 0x20;  // "If you" -> "If You"
  auto note = OpenNote(text, {PeterVerifier()});
  EXPECT_EQ(note.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(note.status().message().find("PeterNeumann+c74f20a3"),
            absl::string_view::npos);
  EXPECT_NE(note.status().message().find("signature does not verify"),
            absl::string_view::npos)
      << note.status();
}

TEST(SignedNoteTest, RejectsFlippedByteInSignature) {
  std::string raw = *crypto::Base64Decode(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
      "gotpRZb6KE6RyyBwJnAM=");
  raw[10] ^= 1;  // Inside R.
  const std::string text =
      absl::StrCat(kPeterText, "\n\xe2\x80\x94 PeterNeumann ",
                   crypto::Base64Encode(raw), "\n");
  auto note = OpenNote(text, {PeterVerifier()});
  EXPECT_EQ(note.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(note.status().message().find("PeterNeumann+c74f20a3"),
            absl::string_view::npos)
      << note.status();
}

TEST(SignedNoteTest, RejectsBadSignatureFromKnownKeyEvenWithAGoodOne) {
  std::string raw = *crypto::Base64Decode(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
      "gotpRZb6KE6RyyBwJnAM=");
  raw[40] ^= 1;
  const std::string text =
      absl::StrCat(PeterNote(), "\xe2\x80\x94 PeterNeumann ",
                   crypto::Base64Encode(raw), "\n");
  EXPECT_EQ(OpenNote(text, {PeterVerifier()}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(SignedNoteTest, RejectsMalformedNotes) {
  const std::string sig = kPeterSignatureLine;
  const std::string text = kPeterText;
  const std::string b64 = sig.substr(sig.find(' ', 4) + 1);  // With "\n".
  const std::pair<std::string, std::string> cases[] = {
      // Missing empty line.
      {text + sig, "no empty line"},
      // Extra empty line after the signatures.
      {text + "\n" + sig + "\n", "no signature lines"},
      // No final newline.
      {text + "\n" + sig.substr(0, sig.size() - 1), "newline"},
      // Hyphen, en dash and "--" instead of U+2014.
      {text + "\n- PeterNeumann " + b64, "U+2014"},
      {text + "\n\xe2\x80\x93 PeterNeumann " + b64, "U+2014"},
      {text + "\n-- PeterNeumann " + b64, "U+2014"},
      // Em dash without the space, or two spaces.
      {text + "\n\xe2\x80\x94PeterNeumann " + b64, "U+2014"},
      {text + "\n\xe2\x80\x94  PeterNeumann " + b64, "invalid key name"},
      // Bad base64: missing padding, bad character, URL-safe alphabet.
      {text + "\n\xe2\x80\x94 PeterNeumann " +
           absl::StrReplaceAll(b64, {{"=", ""}}),
       "base64"},
      {text + "\n\xe2\x80\x94 PeterNeumann !" + b64, "base64"},
      {text + "\n\xe2\x80\x94 PeterNeumann " +
           absl::StrReplaceAll(b64, {{"/", "_"}}),
       "base64"},
      // Too short a signature.
      {text + "\n\xe2\x80\x94 PeterNeumann AAAA\n", "signature of 3 bytes"},
      // Name with a '+'.
      {text + "\n\xe2\x80\x94 Peter+Neumann " + b64, "invalid key name"},
      // Control characters and invalid UTF-8.
      {"If you\r\n" + text + "\n" + sig, "control character"},
      {"If you\xff\n" + text + "\n" + sig, "invalid UTF-8"},
  };
  for (const auto& [note, want] : cases) {
    auto opened = OpenNote(note, {PeterVerifier()});
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument)
        << note << "\n"
        << opened.status();
    EXPECT_NE(opened.status().message().find(want), absl::string_view::npos)
        << opened.status() << "\nwant: " << want;
  }
}

TEST(SignedNoteTest, ExtraEmptyLineBeforeSignaturesChangesTheText) {
  // The last empty line separates: the text then ends in "\n\n", which Peter
  // did not sign.
  auto note = OpenNote(absl::StrCat(kPeterText, "\n\n", kPeterSignatureLine),
                       {PeterVerifier()});
  EXPECT_EQ(note.status().code(), absl::StatusCode::kUnauthenticated)
      << note.status();
}

TEST(SignedNoteTest, TextMayContainEmptyLines) {
  auto signer = SignerFromGoPrivateKey(kPeterPrivateKey);
  const std::string text = "first\n\nthird\n";
  auto signed_note = signer->Sign(text);
  ASSERT_TRUE(signed_note.ok());
  auto note = OpenNote(*signed_note, {PeterVerifier()});
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->text, text);
}

TEST(SignedNoteTest, SignRejectsBadText) {
  auto signer = SignerFromGoPrivateKey(kPeterPrivateKey);
  for (const char* text : {"", "no newline", "tab\there\n", "\xc0\x80\n"}) {
    EXPECT_EQ(signer->Sign(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(SignedNoteTest, SignerRejectsBadNames) {
  for (const char* name : {"", "a b", "a+b", "a\tb", "a\nb",
                           "a\xc2\xa0"
                           "b",
                           "a\xe3\x80\x80"
                           "b",
                           "\xff"}) {
    auto key = crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(NoteSigner::Create(name, std::move(*key)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
}

TEST(SignedNoteTest, VerifierKeyRejectsMalformedKeys) {
  const std::pair<const char*, const char*> cases[] = {
      {"PeterNeumann", "want <name>"},
      {"PeterNeumann+c74f20a3", "want <name>"},
      // Wrong key id (from note_test.go's badKey list, with one digit off).
      {"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "does not match"},
      {"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "8 hex digits"},
      {"PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "8 hex digits"},
      // Other name: the key id no longer matches.
      {"PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "does not match"},
      // Unknown algorithm and wrong length (note_test.go's badKey cases).
      {"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "signature type"},
      {"PeterNeumann+cc469956+"
       "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
       "base64"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
       "base64"},
      {"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "invalid key name"},
  };
  for (const auto& [vkey, want] : cases) {
    auto v = NoteVerifier::FromVerifierKey(vkey);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument) << vkey;
    EXPECT_NE(v.status().message().find(want), absl::string_view::npos)
        << v.status() << "\nwant: " << want;
  }
}

TEST(SignedNoteTest, RejectsAmbiguousVerifiers) {
  EXPECT_EQ(
      OpenNote(PeterNote(), {PeterVerifier(), PeterVerifier()}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

// Golden checkpoint: a fixed seed (bytes 0..31) and root (bytes a0..bf),
// signed note pinned as produced by Go's note.Sign for the same key.
TEST(SignedNoteTest, GoldenCheckpoint) {
  std::string seed(32, '\0');
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<char>(i);
  auto key = crypto::SigningKey::FromSeed(seed);
  ASSERT_TRUE(key.ok());
  auto signer = NoteSigner::Create("example.com/aifl-golden", std::move(*key));
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ((*signer)->VerifierKey(),
            "example.com/aifl-golden+c5dcd20f+"
            "AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");
  Checkpoint checkpoint;
  checkpoint.origin = "example.com/aifl-golden";
  checkpoint.size = 20852163;
  for (int i = 0; i < 32; ++i) checkpoint.root[i] = 0xa0 + i;
  auto note = (*signer)->Sign(FormatCheckpointBody(checkpoint));
  ASSERT_TRUE(note.ok());
  const std::string want =
      "example.com/aifl-golden\n"
      "20852163\n"
      "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=\n"
      "\n"
      "\xe2\x80\x94 example.com/aifl-golden "
      "xdzSDzoA5igINKdEgEddVbUAjY2/6pP18+rE/S8NzNy5RfLU9b15bBWT7mFJtpdFwRFWCTF"
      "Xj879WrBlF+buD2kqUg4=\n";
  EXPECT_EQ(*note, want);

  auto verifier = NoteVerifier::FromVerifierKey((*signer)->VerifierKey());
  ASSERT_TRUE(verifier.ok());
  auto opened = OpenNote(want, {*verifier});
  ASSERT_TRUE(opened.ok()) << opened.status();
  auto parsed = ParseCheckpointBody(opened->text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, checkpoint);
}

}  // namespace
}  // namespace ledger::note
