// LogFold: one pass over the leaves feeds the engine, the recorded findings
// and the not-evidence tally.
#include "compliance/log_fold.h"

#include <string>

#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"

namespace compliance {
namespace {

using Role = aifl::ledger::v1::Role;
constexpr uint8_t kProvider = 1, kRules = 2, kUnknown = 3;

ledger::entry::KeyId Id(uint8_t b) {
  ledger::entry::KeyId id{};
  id.fill(b);
  return id;
}

std::string LeafBytes(uint8_t signer, const std::string& type,
                      const std::string& payload) {
  ledger::entry::Envelope env;
  env.key_id = Id(signer);
  env.payload_type = type;
  env.payload = payload;
  env.signature = std::string(64, 's');
  return ledger::entry::EncodeLeaf(1'780'000'000'000'000,
                                   *ledger::entry::EncodeEnvelope(env));
}

std::string Declaration(const std::string& model) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id(model);
  return d.SerializeAsString();
}

std::string Finding(const std::string& model, aifl::rules::v1::FindingState s) {
  aifl::rules::v1::Finding f;
  f.set_model_id(model);
  f.set_rule_id("C1");
  f.set_state(s);
  return f.SerializeAsString();
}

// Provider and rules keys enrolled at leaf 0; no other key.
std::optional<ledger::KeyInfo> Registry(const ledger::crypto::KeyId& id) {
  for (auto [b, role] :
       {std::pair<uint8_t, Role>{kProvider, aifl::ledger::v1::ROLE_PROVIDER},
        {kRules, aifl::ledger::v1::ROLE_RULES}}) {
    if (id == ledger::crypto::KeyId(Id(b))) {
      ledger::KeyInfo info;
      info.id = id;
      info.role = role;
      return info;
    }
  }
  return std::nullopt;
}

TEST(LogFoldTest, FoldsEachLeafOnceForModelsFindingsAndTheTally) {
  auto pack = rules::LoadRulePack("");
  ASSERT_TRUE(pack.ok()) << pack.status();
  auto fold = LogFold::Create(*pack);
  ASSERT_TRUE(fold.ok()) << fold.status();
  LogFold& f = **fold;
  EXPECT_EQ(f.pack_version(), pack->version());

  using Use = LogFold::Use;
  const struct {
    uint8_t signer;
    std::string type, payload;
    Use want;
  } leaves[] = {
      {kProvider, rules::kModelDeclarationType, Declaration("m"), Use::kFolded},
      {kUnknown, rules::kModelDeclarationType, Declaration("ghost"),
       Use::kNotEvidence},
      {kRules, rules::kFindingType, Finding("m", aifl::rules::v1::RAISED),
       Use::kFolded},
      {kProvider, rules::kFindingType, Finding("m", aifl::rules::v1::CLEARED),
       Use::kRefused},  // findings only from the rules role
      {kProvider, rules::kModelDeclarationType, "\xff not a proto",
       Use::kRefused},
  };
  for (uint64_t i = 0; i < std::size(leaves); ++i) {
    auto added =
        f.Add(i, LeafBytes(leaves[i].signer, leaves[i].type, leaves[i].payload),
              Registry);
    ASSERT_TRUE(added.ok()) << i << ": " << added.status();
    EXPECT_EQ(added->use, leaves[i].want) << i << ": " << added->why;
    EXPECT_EQ(added->why.ok(), leaves[i].want == Use::kFolded) << i;
  }
  EXPECT_EQ(f.next_leaf(), 5u);
  EXPECT_NE(f.engine().fold().Find("m"), nullptr);
  EXPECT_EQ(f.engine().fold().Find("ghost"), nullptr) << "not evidence";
  ASSERT_EQ(f.findings().size(), 1u);
  EXPECT_EQ(f.findings()[0].leaf_index, 2u);
  EXPECT_EQ(f.OpenFindings("m"), 1u);
  EXPECT_EQ(f.not_evidence().count(), 1u);
  EXPECT_EQ(f.not_evidence().first()[0].index, 1u);

  // A cleared finding from the rules key closes it.
  ASSERT_TRUE(f.Add(5,
                    LeafBytes(kRules, rules::kFindingType,
                              Finding("m", aifl::rules::v1::CLEARED)),
                    Registry)
                  .ok());
  EXPECT_EQ(f.OpenFindings("m"), 0u);
  EXPECT_EQ(f.findings().size(), 2u);
}

TEST(LogFoldTest, TakesLeavesOnlyInOrderAndStopsAtOneThatDoesNotParse) {
  auto fold = LogFold::Create(*rules::LoadRulePack(""));
  ASSERT_TRUE(fold.ok());
  EXPECT_EQ(
      (*fold)
          ->Add(1, LeafBytes(kProvider, "aifl.provider.v1.Blob", ""), Registry)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*fold)->Add(0, "\x07garbage", Registry).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ((*fold)->next_leaf(), 0u) << "the same leaf fails again";
}

}  // namespace
}  // namespace compliance
