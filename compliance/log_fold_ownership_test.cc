// Ownership of models and scheduler accounts through the one fold (ledger
// leaves converted with a key registry, as the server and compliance_check
// fold them): a model belongs to the principal of its first declaration;
// another organisation's declaration, alias or account claim is not folded
// into it and DQ1 reports it to the office (ledger/FORMAT.md, "Ownership of
// models and records").
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "compliance/log_fold.h"
#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"

namespace compliance {
namespace {

// Keys: two of organisation A, one of B, two enrolled without organisation
// (own identities), one collector.
constexpr uint8_t kA1 = 1, kA2 = 2, kB = 3, kNoOrg1 = 4, kNoOrg2 = 5,
                  kCollector = 6;

ledger::entry::KeyId Id(uint8_t b) {
  ledger::entry::KeyId id{};
  id.fill(b);
  return id;
}

std::optional<ledger::KeyInfo> Registry(const ledger::crypto::KeyId& id) {
  const struct {
    uint8_t b;
    aifl::ledger::v1::Role role;
    const char* org;
    const char* tls;
  } keys[] = {
      {kA1, aifl::ledger::v1::ROLE_PROVIDER, "Alpha AI", "alpha-1"},
      {kA2, aifl::ledger::v1::ROLE_PROVIDER, "Alpha AI", "alpha-2"},
      {kB, aifl::ledger::v1::ROLE_PROVIDER, "Beta Labs", "beta"},
      {kNoOrg1, aifl::ledger::v1::ROLE_PROVIDER, "", "solo-1"},
      {kNoOrg2, aifl::ledger::v1::ROLE_PROVIDER, "", "solo-2"},
      {kCollector, aifl::ledger::v1::ROLE_COLLECTOR, "Factory", "node"},
  };
  for (const auto& k : keys) {
    if (id == ledger::crypto::KeyId(Id(k.b))) {
      ledger::KeyInfo info;
      info.id = id;
      info.role = k.role;
      info.organisation = k.org;
      info.tls_identity = k.tls;
      return info;
    }
  }
  return std::nullopt;
}

struct Leaf {
  uint8_t signer;
  std::string type, payload;
};

Leaf Declare(uint8_t signer, const std::string& model,
             const std::string& provider, const std::string& account = "",
             const std::string& same_provider_base = "") {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id(model);
  d.set_provider(provider);
  if (!account.empty()) d.add_scheduler_accounts(account);
  if (!same_provider_base.empty()) {
    d.mutable_base_model()->set_model_id(same_provider_base);
    d.mutable_base_model()->set_same_provider(true);
  }
  return {signer, rules::kModelDeclarationType, d.SerializeAsString()};
}

Leaf Document(uint8_t signer, const std::string& model) {
  aifl::provider::v1::DocumentSubmission doc;
  doc.set_model_id(model);
  doc.set_kind(aifl::provider::v1::MODEL_EVALUATION);
  doc.set_title("the signer's own findings");
  return {signer, rules::kDocumentSubmissionType, doc.SerializeAsString()};
}

Leaf Notify(uint8_t signer, const std::string& model) {
  aifl::provider::v1::Notification n;
  n.set_model_id(model);
  n.set_compute_flop(1.2e25);
  n.set_threshold_met(true);
  return {signer, rules::kNotificationType, n.SerializeAsString()};
}

Leaf Evaluate(uint8_t signer, const std::string& model) {
  aifl::provider::v1::EvaluationReport ev;
  ev.set_model_id(model);
  ev.set_adversarial(true);
  return {signer, rules::kEvaluationReportType, ev.SerializeAsString()};
}

// A run on `account` naming no model: attributed by the account alone.
Leaf Interval(const std::string& account, double flop) {
  aifl::collector::v1::IntervalReport iv;
  iv.set_run_id("run-" + account);
  iv.set_account(account);
  iv.set_start_unix_ms(1'780'000'000'000 - 60'000);
  iv.set_end_unix_ms(1'780'000'000'000 - 1'000);
  iv.mutable_flop()->set_lower(flop);
  iv.mutable_flop()->set_upper(flop);
  return {kCollector, rules::kIntervalReportType, iv.SerializeAsString()};
}

std::string LeafBytes(const Leaf& l) {
  ledger::entry::Envelope env;
  env.key_id = Id(l.signer);
  env.payload_type = l.type;
  env.payload = l.payload;
  env.signature = std::string(64, 's');
  return ledger::entry::EncodeLeaf(1'780'000'000'000'000,
                                   *ledger::entry::EncodeEnvelope(env));
}

struct Want {
  std::string model;     // canonical model looked at
  std::string provider;  // its declaration in force: provider field
  std::string owner;
  double measured_flop;  // measured training compute, lower bound
  // DQ1 on `model`: "" = not raised; else each text must be in the message.
  std::vector<std::string> dq1;
  size_t documents = 0;  // dated documents of every kind folded in
  size_t notifications = 0;
};

size_t Documents(const rules::ModelState& m) {
  size_t n = 0;
  for (const auto& kind : m.documents) n += kind.size();
  return n;
}

struct Case {
  std::string name;
  std::vector<Leaf> leaves;
  std::vector<Want> want;
};

TEST(LogFoldOwnershipTest, ModelsAndAccountsStayWithTheirFirstDeclarant) {
  const std::vector<Case> cases = {
      {"B re-declares A's model: A's state unchanged, DQ1 names both",
       {Declare(kA1, "m", "Alpha"), Declare(kB, "m", "Beta")},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         0,
         {"signed by org:Beta Labs", "belongs to org:Alpha AI", "\"m\"",
          "not folded"}}}},
      {"B aliases its id onto A's model: not folded, DQ1",
       {Declare(kA1, "m", "Alpha"), Declare(kB, "b", "Beta", "acct-b", "m"),
        Interval("acct-b", 1e20)},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         0,
         {"\"b\" as a further development", "org:Beta Labs", "org:Alpha AI"}}}},
      {"B re-points A's id as an alias of its own model: refused",
       {Declare(kA1, "m", "Alpha", "acct-a"), Declare(kB, "b", "Beta"),
        Declare(kB, "m", "Beta", "", "b"), Interval("acct-a", 2e20)},
       {{"m", "Alpha", "org:Alpha AI", 2e20, {"org:Beta Labs"}},
        {"b", "Beta", "org:Beta Labs", 0, {}}}},
      {"B claims A's account: A's later runs stay A's",
       {Declare(kA1, "m", "Alpha", "acct-a"),
        Declare(kB, "b", "Beta", "acct-a"), Interval("acct-a", 3e20)},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         3e20,
         {"scheduler account \"acct-a\"", "org:Beta Labs",
          "org:Alpha AI holds: not taken"}},
        {"b", "Beta", "org:Beta Labs", 0, {}}}},
      {"A's second key supersedes and moves A's account, as before",
       {Declare(kA1, "m", "Alpha", "acct-a"), Declare(kA1, "n", "Alpha N"),
        Declare(kA2, "m", "Alpha v2"), Declare(kA2, "n", "Alpha N", "acct-a"),
        Declare(kA2, "n2", "Alpha N2", "", "n"), Interval("acct-a", 4e20)},
       {{"m", "Alpha v2", "org:Alpha AI", 0, {}},
        {"n", "Alpha N", "org:Alpha AI", 4e20, {}}}},
      {"B's document about A's model: not folded, DQ1 names the leaf",
       {Declare(kA1, "m", "Alpha"), Document(kB, "m")},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         0,
         {"1 entry(ies) about this model signed for another organisation",
          "leaf 1: the DocumentSubmission about \"m\" signed by org:Beta Labs",
          "belongs to org:Alpha AI: not folded"}}}},
      {"B's notification about A's alias: not folded into A's model",
       {Declare(kA1, "m", "Alpha"), Declare(kA1, "m2", "Alpha", "", "m"),
        Notify(kB, "m2")},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         0,
         {"leaf 2: the Notification about \"m\" signed by org:Beta Labs"}}}},
      {"B's evaluation report about A's model: not folded",
       {Declare(kA1, "m", "Alpha"), Evaluate(kB, "m"), Declare(kB, "m", "B")},
       {{"m",
         "Alpha",
         "org:Alpha AI",
         0,
         {"leaf 1: the EvaluationReport", "leaf 2: a ModelDeclaration",
          "1 declaration(s)", "1 entry(ies)"}}}},
      {"A's own entries, from A's second key, are folded as before",
       {Declare(kA1, "m", "Alpha"), Document(kA2, "m"), Evaluate(kA1, "m"),
        Notify(kA2, "m")},
       {{"m", "Alpha", "org:Alpha AI", 0, {}, 3, 1}}},
      {"entries before any declaration are folded (FORMAT.md says whose)",
       {Document(kB, "m"), Declare(kA1, "m", "Alpha"), Document(kA1, "m")},
       {{"m", "Alpha", "org:Alpha AI", 0, {}, 2, 0}}},
      {"keys without an organisation are their own identities",
       {Declare(kNoOrg1, "s", "Solo"), Declare(kNoOrg2, "s", "Other"),
        Declare(kNoOrg1, "s", "Solo v2")},
       {{"s", "Solo v2", "id:solo-1", 0, {"signed by id:solo-2"}}}},
  };
  auto pack = rules::LoadRulePack("");
  ASSERT_TRUE(pack.ok()) << pack.status();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto fold = LogFold::Create(*pack);
    ASSERT_TRUE(fold.ok()) << fold.status();
    for (uint64_t i = 0; i < c.leaves.size(); ++i) {
      auto added = (*fold)->Add(i, LeafBytes(c.leaves[i]), Registry);
      ASSERT_TRUE(added.ok()) << i << ": " << added.status();
      EXPECT_EQ(added->use, LogFold::Use::kFolded) << i << ": " << added->why;
    }
    const rules::Engine& engine = (*fold)->engine();
    for (const Want& w : c.want) {
      SCOPED_TRACE(w.model);
      const rules::ModelState* m = engine.fold().Find(w.model);
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m->model_id, w.model) << "not folded into another model";
      ASSERT_NE(m->declaration(), nullptr);
      EXPECT_EQ(m->declaration()->provider(), w.provider);
      EXPECT_EQ(m->owner, w.owner);
      EXPECT_EQ(m->measured_training.lower, w.measured_flop);
      EXPECT_EQ(Documents(*m), w.documents);
      EXPECT_EQ(m->notifications.size(), w.notifications);
      std::optional<aifl::rules::v1::Finding> dq1;
      for (const auto& f :
           engine.Current(w.model, absl::FromUnixSeconds(1'790'000'000))) {
        if (f.rule_id() == "DQ1") dq1 = f;
      }
      if (w.dq1.empty()) {
        EXPECT_FALSE(dq1.has_value()) << dq1->message();
        continue;
      }
      ASSERT_TRUE(dq1.has_value());
      EXPECT_EQ(dq1->unit(), aifl::rules::v1::REGULATION_AND_COMPLIANCE);
      for (const std::string& text : w.dq1) {
        EXPECT_TRUE(absl::StrContains(dq1->message(), text))
            << text << " in " << dq1->message();
      }
      EXPECT_FALSE(absl::StrContains(dq1->message(), "collector record(s)"))
          << "the rule title says collector records; the text says what";
    }
  }
}

}  // namespace
}  // namespace compliance
