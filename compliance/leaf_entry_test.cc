// ConvertLeaf: which leaves are evidence, given the key registry's state.
#include "compliance/leaf_entry.h"

#include <array>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

namespace compliance {
namespace {

constexpr int64_t kMicros = 1'780'000'000'000'000;

ledger::entry::KeyId Id(uint8_t b) {
  ledger::entry::KeyId id{};
  id.fill(b);
  return id;
}

// Leaf bytes of an envelope signed (the signature is not checked here) by
// key `signer`.
std::string LeafBytes(uint8_t signer) {
  ledger::entry::Envelope env;
  env.key_id = Id(signer);
  env.payload_type = "aifl.provider.v1.ModelDeclaration";
  env.payload = "payload bytes";
  env.signature = std::string(64, 's');
  return ledger::entry::EncodeLeaf(kMicros,
                                   *ledger::entry::EncodeEnvelope(env));
}

ledger::KeyInfo Key(uint8_t id, uint64_t enrolled_at,
                    std::optional<uint64_t> revoked_at = std::nullopt) {
  ledger::KeyInfo info;
  info.id = ledger::crypto::KeyId(Id(id));
  info.role = aifl::ledger::v1::ROLE_PROVIDER;
  info.organisation = "Provider SA";
  info.enrolled_at_leaf = enrolled_at;
  info.revoked_at_leaf = revoked_at;
  return info;
}

KeyLookup Only(const ledger::KeyInfo& key) {
  return
      [key](const ledger::crypto::KeyId& id) -> std::optional<ledger::KeyInfo> {
        if (id == key.id) return key;
        return std::nullopt;
      };
}

TEST(ConvertLeafTest, AnEnrolledSignerMakesEvidenceWithItsRoleAndOrganisation) {
  auto c = ConvertLeaf(7, LeafBytes(1), Only(Key(1, 3)));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->evidence());
  EXPECT_EQ(c->entry.leaf_index, 7u);
  EXPECT_EQ(c->entry.integration_time, absl::FromUnixMicros(kMicros));
  EXPECT_EQ(c->entry.signer_role, aifl::ledger::v1::ROLE_PROVIDER);
  EXPECT_EQ(c->entry.signer_organisation, "Provider SA");
  EXPECT_EQ(c->entry.payload_type, "aifl.provider.v1.ModelDeclaration");
  EXPECT_EQ(c->entry.payload, "payload bytes");
}

TEST(ConvertLeafTest, AnUnknownSignerIsNotEvidence) {
  auto c = ConvertLeaf(7, LeafBytes(2), Only(Key(1, 3)));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->evidence());
  EXPECT_NE(c->not_evidence.find("is not in the key registry"),
            std::string::npos)
      << c->not_evidence;
  EXPECT_EQ(c->entry.signer_role, aifl::ledger::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(c->entry.signer_organisation, "");
  EXPECT_EQ(c->entry.leaf_index, 7u);  // still says where it is
}

TEST(ConvertLeafTest, ASignerEnrolledAtOrAfterTheLeafIsNotEvidence) {
  auto later = ConvertLeaf(7, LeafBytes(1), Only(Key(1, 9)));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->not_evidence, "signer key " + Key(1, 9).id.ToString() +
                                     " was enrolled at leaf 9, not before "
                                     "this leaf");
  // A key cannot sign its own enrolment, except the genesis entry.
  auto same = ConvertLeaf(7, LeafBytes(1), Only(Key(1, 7)));
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->evidence());
  auto genesis = ConvertLeaf(0, LeafBytes(1), Only(Key(1, 0)));
  ASSERT_TRUE(genesis.ok());
  EXPECT_TRUE(genesis->evidence()) << genesis->not_evidence;
}

TEST(ConvertLeafTest, ASignerRevokedBeforeTheLeafIsNotEvidence) {
  auto after = ConvertLeaf(7, LeafBytes(1), Only(Key(1, 3, 5)));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->not_evidence, "signer key " + Key(1, 3).id.ToString() +
                                     " was revoked at leaf 5, before this "
                                     "leaf");
  // The revoking entry itself may be signed by the key it revokes; earlier
  // entries stay evidence.
  for (uint64_t index : {4u, 5u}) {
    auto c = ConvertLeaf(index, LeafBytes(1), Only(Key(1, 3, 5)));
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->evidence()) << index << ": " << c->not_evidence;
  }
}

TEST(ConvertLeafTest, ALeafThatDoesNotParseIsDataLoss) {
  auto bad_leaf = ConvertLeaf(4, "\x07garbage", Only(Key(1, 0)));
  EXPECT_EQ(bad_leaf.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad_leaf.status().message().find("leaf 4"), std::string::npos);
  auto bad_envelope =
      ConvertLeaf(4, ledger::entry::EncodeLeaf(kMicros, "not an envelope"),
                  Only(Key(1, 0)));
  EXPECT_EQ(bad_envelope.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad_envelope.status().message().find("envelope"),
            std::string::npos);
}

TEST(NotEvidenceTallyTest, CountsAllAndKeepsTheFirstReasons) {
  NotEvidenceTally tally;
  EXPECT_EQ(tally.Summary(), "");
  tally.Add(3, "why 3");
  EXPECT_EQ(tally.Summary(),
            "1 leaf is not evidence (signer not enrolled at that leaf), left "
            "out: leaf 3: why 3");
  for (uint64_t i = 4; i < 20; ++i) tally.Add(i, "why");
  EXPECT_EQ(tally.count(), 17u);
  ASSERT_EQ(tally.first().size(), NotEvidenceTally::kKept);
  EXPECT_EQ(tally.first()[0].index, 3u);
  EXPECT_NE(tally.Summary().find("17 leaves are not evidence"),
            std::string::npos);
  EXPECT_EQ(tally.Summary().substr(tally.Summary().size() - 3), "…");
}

}  // namespace
}  // namespace compliance
