// compliance_check and the ledger server convert leaves with the one
// function (compliance/leaf_entry.h) and agree. compliance_check reads
// through a LogReader (its signers come from the registry folded from the
// verified leaves); the server folds with its own registry. A leaf whose
// signer the registry consulted does not hold is not evidence: the fold
// counts it exactly as the conversion says. Before, compliance_check stopped
// with DATA_LOSS and the server's model view folded it under no role.
#include <optional>
#include <string>
#include <vector>

#include "api/client/open_log_reader.h"
#include "compliance/leaf_entry.h"
#include "compliance/log_fold.h"
#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/default_pack.h"
#include "rules/engine.h"
#include "tests/compliance/testonly/scenario_ledger.h"
#include "tools/compliance_check/log_entries.h"

namespace {

using compliance_test::Brussels;

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";

std::string Names(const std::vector<aifl::rules::v1::Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.model_id() + ":" + f.rule_id() + " ";
  return out;
}

class AgreementTest : public ::testing::TestWithParam<bool> {};

// With the ledger's own registry (param false) and with one that lacks the
// provider's key, as a server omitting it from ListKeys would (true).
TEST_P(AgreementTest, CheckAndServerFoldConvertTheSameLeaves) {
  auto built = compliance_test::BuildScenarioLedger();
  ASSERT_TRUE(built.ok()) << built.status();
  ledger::Ledger& l = built->fixture->ledger();
  api::client::LogSourceOptions source;
  source.dir = "scenario";
  source.open_ledger = &l;
  auto log = api::client::OpenLogReader(source);
  ASSERT_TRUE(log.ok()) << log.status();
  auto verified =
      compliance_check::ReadVerifiedEntries(*log->reader, std::nullopt);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->not_evidence.count(), 0u);

  // The provider's key signed the small model's declaration.
  auto leaf = ledger::entry::ParseLeaf(*l.GetLeaf(built->small_declaration));
  auto env = ledger::entry::ParseEnvelope(leaf->envelope);
  const ledger::crypto::KeyId provider(env->key_id);
  const bool omit_provider = GetParam();
  const compliance::KeyLookup keys =
      [&](const ledger::crypto::KeyId& id) -> std::optional<ledger::KeyInfo> {
    if (omit_provider && id == provider) return std::nullopt;
    return l.FindKey(id);
  };

  // compliance_check's conversion with the same registry as the fold.
  compliance::NotEvidenceTally check_tally;
  std::vector<rules::LedgerEntry> converted;
  for (uint64_t i = 0; i < verified->checkpoint_size; ++i) {
    auto c = compliance::ConvertLeaf(i, *l.GetLeaf(i), keys);
    ASSERT_TRUE(c.ok()) << c.status();
    if (c->evidence()) {
      converted.push_back(std::move(c->entry));
    } else {
      check_tally.Add(i, std::move(c->not_evidence));
    }
  }
  if (!omit_provider) {
    // The LogReader path (registry folded from the leaves) converts the
    // same leaves as the ledger's own registry does.
    ASSERT_EQ(verified->entries.size(), converted.size());
    for (size_t i = 0; i < converted.size(); ++i) {
      EXPECT_EQ(verified->entries[i].leaf_index, converted[i].leaf_index);
      EXPECT_EQ(verified->entries[i].signer_role, converted[i].signer_role);
    }
  }
  const std::vector<rules::LedgerEntry>& read =
      omit_provider ? converted : verified->entries;
  const std::vector<rules::LedgerEntry>* entries = &read;

  // The server's one fold.
  auto pack = rules::LoadRulePack(kPack);
  ASSERT_TRUE(pack.ok()) << pack.status();
  auto fold = compliance::LogFold::Create(*pack);
  ASSERT_TRUE(fold.ok()) << fold.status();
  std::vector<uint64_t> server_evidence;
  for (uint64_t i = 0; i < verified->checkpoint_size; ++i) {
    auto added = (*fold)->Add(i, *l.GetLeaf(i), keys);
    ASSERT_TRUE(added.ok()) << added.status();
    if (added->use != compliance::LogFold::Use::kNotEvidence) {
      server_evidence.push_back(i);
    }
  }

  std::vector<uint64_t> check_evidence;
  for (const rules::LedgerEntry& e : *entries) {
    check_evidence.push_back(e.leaf_index);
  }
  EXPECT_EQ(check_evidence, server_evidence);
  EXPECT_EQ(check_tally.count(), (*fold)->not_evidence().count());
  EXPECT_EQ(check_tally.Summary(), (*fold)->not_evidence().Summary());
  if (omit_provider) {
    EXPECT_GT(check_tally.count(), 0u);
    EXPECT_EQ(check_tally.first()[0].index, built->small_declaration);
  } else {
    EXPECT_EQ(check_tally.count(), 0u);
    EXPECT_EQ(check_evidence.size(), verified->checkpoint_size);
  }

  // And the same findings.
  const absl::Time now = Brussels(2026, 7, 1);
  auto checked = rules::EvaluateAsOf(*pack, *entries, now);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(Names(*checked), Names((*fold)->engine().EvaluateAll(now)));
  if (!omit_provider) {
    EXPECT_EQ(Names(*checked), "big:C1 big:C4 big:N1 small:C1 small:O1 ");
  }
}

INSTANTIATE_TEST_SUITE_P(Registries, AgreementTest, ::testing::Bool());

}  // namespace
