#include "ledger/entry/envelope.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "ledger/entry/leaf.h"

namespace ledger::entry {
namespace {

// Golden values computed independently (Python struct.pack) from the byte
// layout in ledger/FORMAT.md. A change here is a format change: bump the
// version instead.
constexpr char kGoldenEnvelopeHex[] =
    "01000102030405060708090a0b0c0d0e0f0000000000000007001d6169666c2e70726f76"
    "696465722e76312e4e6f74696669636174696f6e0000000908017061796c6f6164ababab"
    "abababababababababababababababababababababababababababababababababababab"
    "ababababababababababababababababababababababababab";
constexpr char kGoldenSignedMessageHex[] =
    "6169666c2d656e7472792d76310a0016666163746f72792e6578616d706c652f6c656467"
    "6572000102030405060708090a0b0c0d0e0f0000000000000007001d6169666c2e70726f"
    "76696465722e76312e4e6f74696669636174696f6e0000000908017061796c6f6164";
constexpr char kGoldenLeafHeaderHex[] = "010006445941642240";

Envelope GoldenEnvelope() {
  Envelope env;
  for (int i = 0; i < 16; ++i) env.key_id[i] = static_cast<uint8_t>(i);
  env.sequence = 7;
  env.payload_type = "aifl.provider.v1.Notification";
  env.payload = std::string("\x08\x01payload", 9);
  env.signature = std::string(64, '\xab');
  return env;
}

TEST(EnvelopeTest, EncodesGoldenBytes) {
  absl::StatusOr<std::string> bytes = EncodeEnvelope(GoldenEnvelope());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(absl::BytesToHexString(*bytes), kGoldenEnvelopeHex);
}

TEST(EnvelopeTest, SignedMessageGoldenBytes) {
  const Envelope env = GoldenEnvelope();
  EXPECT_EQ(absl::BytesToHexString(
                SignedMessage("factory.example/ledger", env.key_id,
                              env.sequence, env.payload_type, env.payload)),
            kGoldenSignedMessageHex);
}

TEST(EnvelopeTest, SignedMessageBindsOriginAndSequence) {
  const Envelope env = GoldenEnvelope();
  const std::string base =
      SignedMessage("a", env.key_id, 1, env.payload_type, env.payload);
  EXPECT_NE(base,
            SignedMessage("b", env.key_id, 1, env.payload_type, env.payload));
  EXPECT_NE(base,
            SignedMessage("a", env.key_id, 2, env.payload_type, env.payload));
  EXPECT_NE(base,
            SignedMessage("a", env.key_id, 1, "aifl.other.v1.X", env.payload));
}

TEST(EnvelopeTest, ParsesWhatItEncodes) {
  const std::string bytes = absl::HexStringToBytes(kGoldenEnvelopeHex);
  absl::StatusOr<Envelope> env = ParseEnvelope(bytes);
  ASSERT_TRUE(env.ok()) << env.status();
  const Envelope want = GoldenEnvelope();
  EXPECT_EQ(env->key_id, want.key_id);
  EXPECT_EQ(env->sequence, want.sequence);
  EXPECT_EQ(env->payload_type, want.payload_type);
  EXPECT_EQ(env->payload, want.payload);
  EXPECT_EQ(env->signature, want.signature);
}

TEST(EnvelopeTest, RejectsEveryTruncation) {
  const std::string bytes = absl::HexStringToBytes(kGoldenEnvelopeHex);
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::StatusOr<Envelope> env =
        ParseEnvelope(absl::string_view(bytes).substr(0, n));
    EXPECT_EQ(env.status().code(), absl::StatusCode::kInvalidArgument)
        << "length " << n;
  }
}

TEST(EnvelopeTest, RejectsTrailingBytesAndUnknownVersion) {
  std::string bytes = absl::HexStringToBytes(kGoldenEnvelopeHex);
  EXPECT_EQ(ParseEnvelope(bytes + "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  bytes[0] = 2;
  absl::StatusOr<Envelope> env = ParseEnvelope(bytes);
  EXPECT_EQ(env.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(env.status().message().find("version"), absl::string_view::npos);
}

TEST(EnvelopeTest, RejectsBadPayloadTypes) {
  Envelope env = GoldenEnvelope();
  for (const char* bad : {"", "has space", "slash/type", "semi;colon"}) {
    env.payload_type = bad;
    EXPECT_EQ(EncodeEnvelope(env).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  env.payload_type = std::string(kMaxPayloadTypeSize + 1, 'a');
  EXPECT_EQ(EncodeEnvelope(env).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EnvelopeTest, RejectsOversizedPayloadAndShortSignature) {
  Envelope env = GoldenEnvelope();
  env.payload = std::string(kMaxPayloadSize + 1, 'p');
  EXPECT_EQ(EncodeEnvelope(env).status().code(),
            absl::StatusCode::kInvalidArgument);
  env = GoldenEnvelope();
  env.signature.pop_back();
  EXPECT_EQ(EncodeEnvelope(env).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EnvelopeTest, KeyIdHexRoundTrip) {
  const KeyId id = GoldenEnvelope().key_id;
  EXPECT_EQ(KeyIdToHex(id), "000102030405060708090a0b0c0d0e0f");
  absl::StatusOr<KeyId> back = KeyIdFromHex(KeyIdToHex(id));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, id);
  EXPECT_FALSE(KeyIdFromHex("00").ok());
  EXPECT_FALSE(KeyIdFromHex(std::string(32, 'g')).ok());
}

TEST(LeafTest, GoldenHeaderAndRoundTrip) {
  const std::string envelope = absl::HexStringToBytes(kGoldenEnvelopeHex);
  const std::string leaf = EncodeLeaf(1764000000123456, envelope);
  EXPECT_EQ(absl::BytesToHexString(leaf.substr(0, kLeafHeaderSize)),
            kGoldenLeafHeaderHex);
  EXPECT_EQ(leaf.substr(kLeafHeaderSize), envelope);
  absl::StatusOr<Leaf> parsed = ParseLeaf(leaf);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->integration_time_micros, 1764000000123456);
  EXPECT_EQ(parsed->envelope, envelope);
}

TEST(LeafTest, RejectsTruncatedAndUnknownVersion) {
  const std::string leaf = EncodeLeaf(5, "env");
  for (size_t n = 0; n < kLeafHeaderSize; ++n) {
    EXPECT_FALSE(ParseLeaf(leaf.substr(0, n)).ok()) << n;
  }
  std::string bad = leaf;
  bad[0] = 9;
  EXPECT_FALSE(ParseLeaf(bad).ok());
}

}  // namespace
}  // namespace ledger::entry
