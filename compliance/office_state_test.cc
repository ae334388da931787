// The AI Office over three factory logs built from real signed entries: the
// cross-factory fold, the rule pack on the union, X1-X3, evidence naming
// (origin, leaf), and recording each finding once.
#include "compliance/office_state.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compliance/office_evidence.h"
#include "compliance/testonly/factory_log.h"
#include "compliance/testonly/office_testing.h"
#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"

namespace compliance {
namespace {

namespace v1 = aifl::rules::v1;
using testonly::Declaration;
using testonly::FactoryLog;
using testonly::H;
using testonly::kA;
using testonly::kB;
using testonly::kC;
using testonly::RunSpec;

// Three factories:
//   Frontier Labs (one key, enrolled as "Frontier Labs SAS" at A and
//     "FRONTIER LABS" at B) trains frontier-1 at A and B, 0.75e25 each;
//   Split Co trains sc-part-1 at B and sc-part-2 at C, 0.6e25 each, at
//     overlapping times, declarations unlinked;
//   Contra GmbH declares contra-1 established in FR at A, in US at C;
//   Lineage AG declares lin-main at A naming its run at C (model lin-aux
//     there) and a leaf of C that is no run.
class OfficeStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_SET(a_, FactoryLog::Create(kA));
    ASSERT_OK_AND_SET(b_, FactoryLog::Create(kB));
    ASSERT_OK_AND_SET(c_, FactoryLog::Create(kC));
    BuildC();
    BuildA();
    BuildB();
    auto pack = rules::LoadRulePack("");
    ASSERT_TRUE(pack.ok()) << pack.status();
    pack_ = *pack;
  }

  void BuildC() {
    ASSERT_TRUE(c_->EnrolProvider("split", 2, "Split Co").ok());
    ASSERT_TRUE(c_->EnrolProvider("contra", 3, "Contra GmbH").ok());
    ASSERT_TRUE(c_->EnrolProvider("lineage", 4, "Lineage AG").ok());
    Ok(c_->Provider("split", Declaration("sc-part-2", "Split Co"), H(0)));
    aifl::provider::v1::ModelDeclaration contra =
        Declaration("contra-1", "Contra GmbH");
    contra.set_provider_country("US");
    Ok(c_->Provider("contra", contra, H(0)));
    Ok(c_->Provider("lineage", Declaration("lin-aux", "Lineage AG"), H(0)));
    ASSERT_OK_AND_SET(lin_aux_run_,
                      c_->Run({"c/9", "lin-aux", "acct", H(1), 2e22, 1e9}));
    ASSERT_OK_AND_SET(split_c_run_, c_->Run({"c/2", "sc-part-2", "acct", H(5),
                                             0.6e25, 3e12}));
  }

  void BuildA() {
    ASSERT_TRUE(a_->EnrolProvider("frontier", 1, "Frontier Labs SAS").ok());
    ASSERT_TRUE(a_->EnrolProvider("contra", 3, "Contra GmbH").ok());
    ASSERT_TRUE(a_->EnrolProvider("lineage", 4, "Lineage AG").ok());
    Ok(a_->Provider("frontier", Declaration("frontier-1", "Frontier Labs SAS"),
                    H(0)));
    Ok(a_->Provider("contra", Declaration("contra-1", "Contra GmbH"), H(0)));
    aifl::provider::v1::ModelDeclaration lin =
        Declaration("lin-main", "Lineage AG");
    aifl::provider::v1::RunAtLog* run = lin.add_runs_at_other_logs();
    run->set_origin(kC);
    run->set_leaf_index(lin_aux_run_);
    aifl::provider::v1::RunAtLog* not_a_run = lin.add_runs_at_other_logs();
    not_a_run->set_origin(kC);
    not_a_run->set_leaf_index(0);
    ASSERT_OK_AND_SET(lin_main_decl_, a_->Provider("lineage", lin, H(0)));
    Ok(a_->Run({"a/1", "frontier-1", "acct", H(1), 0.75e25, 4e12}));
    Ok(a_->Run({"a/9", "lin-main", "acct", H(6), 1e22, 1e9}));
  }

  void BuildB() {
    ASSERT_TRUE(b_->EnrolProvider("frontier", 1, "FRONTIER LABS").ok());
    ASSERT_TRUE(b_->EnrolProvider("split", 2, "Split Co").ok());
    Ok(b_->Provider("frontier", Declaration("frontier-1", "Frontier Labs SAS"),
                    H(0)));
    Ok(b_->Provider("split", Declaration("sc-part-1", "Split Co"), H(0)));
    ASSERT_OK_AND_SET(frontier_b_run_, b_->Run({"b/1", "frontier-1", "acct",
                                                H(2), 0.75e25, 4e12}));
    Ok(b_->Run({"b/2", "sc-part-1", "acct", H(6), 0.6e25, 3e12}));
  }

  static void Ok(const absl::StatusOr<uint64_t>& s) {
    ASSERT_TRUE(s.ok()) << s.status();
  }

  // Feeds every leaf of the three logs, interleaved as a monitor would.
  void Feed(OfficeState& office) {
    for (FactoryLog* log : {a_.get(), b_.get(), c_.get()}) {
      auto leaves = log->Leaves();
      ASSERT_TRUE(leaves.ok()) << leaves.status();
      const uint64_t from = fed_[log->origin()];
      for (uint64_t i = from; i < leaves->size(); ++i) {
        auto added = office.Add(log->origin(), i, (*leaves)[i]);
        ASSERT_TRUE(added.ok()) << added.status();
        EXPECT_EQ(added->use, LogFold::Use::kFolded) << added->why;
      }
      fed_[log->origin()] = leaves->size();
    }
  }

  std::unique_ptr<OfficeState> NewOffice() {
    auto office = OfficeState::Create(pack_);
    EXPECT_TRUE(office.ok()) << office.status();
    return office.ok() ? std::move(*office) : nullptr;
  }

  FactoryLog* Log(const std::string& origin) {
    return origin == kA ? a_.get() : origin == kB ? b_.get() : c_.get();
  }

  std::unique_ptr<FactoryLog> a_, b_, c_;
  uint64_t frontier_b_run_ = 0, lin_aux_run_ = 0, split_c_run_ = 0,
           lin_main_decl_ = 0;
  rules::RulePack pack_;
  std::map<std::string, uint64_t> fed_;
  const absl::Time now_ = H(24 * 30);
};

const v1::Finding* FindRaised(const std::vector<v1::Finding>& fs,
                              const std::string& model,
                              const std::string& rule) {
  for (const v1::Finding& f : fs) {
    if (f.model_id() == model && f.rule_id() == rule &&
        f.state() == v1::RAISED) {
      return &f;
    }
  }
  return nullptr;
}

TEST_F(OfficeStateTest, NoFactorySeesTheSplitRunCross1e25) {
  auto office = NewOffice();
  Feed(*office);
  for (const char* origin : {kA, kB}) {
    const LogFold* fold = office->fold().FoldOf(origin);
    ASSERT_NE(fold, nullptr);
    const rules::ModelState* s = fold->engine().fold().Find("frontier-1");
    ASSERT_NE(s, nullptr);
    const std::vector<v1::Finding> at_factory =
        fold->engine().evaluator().Evaluate(*s, now_);
    EXPECT_NE(FindRaised(at_factory, "frontier-1", "C1"), nullptr) << origin;
    EXPECT_EQ(FindRaised(at_factory, "frontier-1", "C4"), nullptr) << origin;
    EXPECT_EQ(FindRaised(at_factory, "frontier-1", "N1"), nullptr) << origin;
  }
}

// What the Office raises, per (model, rule): the provider identity and the
// factories its evidence cites.
TEST_F(OfficeStateTest, RaisesWhatOnlyTheUnionShows) {
  auto office = NewOffice();
  Feed(*office);
  const std::vector<v1::Finding> out = office->Evaluate(now_);
  const struct {
    std::string model, rule;
    bool raised;
    std::string provider;
    std::vector<std::string> origins;  // evidence_origins
    std::vector<std::string> cited;    // origins of the cited leaves
  } cases[] = {
      {"frontier-1", "C4", true, "FRONTIER LABS", {kA, kB}, {kA, kB}},
      // N1 cites the crossing (at B) and the declaration in force (B's).
      {"frontier-1", "N1", true, "FRONTIER LABS", {kA, kB}, {kB}},
      {"frontier-1", "X1", false, "", {}, {}},
      {"sc-part-1", "X1", true, "Split Co", {kB, kC}, {kB, kC}},
      {"sc-part-1", "C4", false, "", {}, {}},
      {"sc-part-2", "C4", false, "", {}, {}},
      {"contra-1", "X2", true, "Contra GmbH", {kA, kC}, {kA, kC}},
      {"lin-main", "X3", true, "Lineage AG", {kA}, {kA}},
      {"lin-main", "X1", false, "", {}, {}},
      // lin-aux joined lin-main: no model of its own.
      {"lin-aux", "D2", false, "", {}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model + " " + c.rule);
    const v1::Finding* f = FindRaised(out, c.model, c.rule);
    if (!c.raised) {
      EXPECT_EQ(f, nullptr) << f->message();
      continue;
    }
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->provider(), c.provider);
    std::vector<std::string> origins(f->evidence_origins().begin(),
                                     f->evidence_origins().end());
    EXPECT_EQ(origins, c.origins) << f->message();
    // Every cited (origin, leaf) is a leaf of that factory's log.
    auto cited = CitedOriginLeaves(*f);
    ASSERT_TRUE(cited.ok()) << cited.status();
    std::set<std::string> seen;
    for (const OriginLeafRef& r : *cited) {
      EXPECT_LT(r.leaf, Log(r.origin)->ledger().Size()) << r.origin;
      seen.insert(r.origin);
    }
    EXPECT_EQ(std::vector<std::string>(seen.begin(), seen.end()), c.cited);
  }
}

TEST_F(OfficeStateTest, SplitRunCitesEveryIntervalOfBothFactories) {
  auto office = NewOffice();
  Feed(*office);
  const std::vector<v1::Finding> out = office->Evaluate(now_);
  const v1::Finding* c4 = FindRaised(out, "frontier-1", "C4");
  ASSERT_NE(c4, nullptr);
  auto cited = CitedOriginLeaves(*c4);
  ASSERT_TRUE(cited.ok()) << cited.status();
  std::map<std::string, std::map<std::string, int>> types;  // origin → type
  for (const OriginLeafRef& r : *cited) {
    auto leaf = Log(r.origin)->ledger().GetLeaf(r.leaf);
    ASSERT_TRUE(leaf.ok()) << leaf.status();
    auto parsed = ledger::entry::ParseLeaf(*leaf);
    ASSERT_TRUE(parsed.ok());
    auto env = ledger::entry::ParseEnvelope(parsed->envelope);
    ASSERT_TRUE(env.ok());
    ++types[r.origin][env->payload_type];
  }
  for (const char* origin : {kA, kB}) {
    EXPECT_EQ(types[origin][rules::kIntervalReportType], 3) << origin;
  }
  // The declaration in force at the Office: the newest of the factories'.
  EXPECT_EQ(types[kA][rules::kModelDeclarationType] +
                types[kB][rules::kModelDeclarationType],
            1);
  // Per-factory shares, named.
  std::map<std::string, double> share;
  for (const v1::Figure& fig : c4->figures()) share[fig.name()] = fig.lower();
  EXPECT_DOUBLE_EQ(
      share[std::string("measured_cumulative_compute_flop at ") + kA], 0.75e25);
  EXPECT_DOUBLE_EQ(
      share[std::string("measured_cumulative_compute_flop at ") + kB], 0.75e25);
  EXPECT_DOUBLE_EQ(share[std::string("accelerator_energy_joules at ") + kB],
                   4e12);
  // The union crossed 1e25 with B's last interval (A's were all in first):
  // N1's period starts there.
  const v1::Finding* n1 = FindRaised(out, "frontier-1", "N1");
  ASSERT_NE(n1, nullptr);
  EXPECT_NE(n1->message().find(absl::StrCat("met the 1.0e+25 FLOP threshold "
                                            "(leaf ",
                                            frontier_b_run_ + 3, " of ", kB)),
            std::string::npos)
      << n1->message();
}

TEST_F(OfficeStateTest, LineageJoinsTheRunAtAnotherLog) {
  auto office = NewOffice();
  Feed(*office);
  office->Evaluate(now_);
  const MergedModel* lin = nullptr;
  for (const MergedModel& m : office->models()) {
    EXPECT_NE(m.model->key.model_id, "lin-aux");
    if (m.model->key.model_id == "lin-main") lin = &m;
  }
  ASSERT_NE(lin, nullptr);
  EXPECT_EQ(lin->model->Origins(), (std::vector<std::string>{kA, kC}));
  EXPECT_DOUBLE_EQ(lin->merged.measured_training.lower, 3e22);
  ASSERT_EQ(lin->model->unresolved.size(), 1u);
  EXPECT_EQ(lin->model->unresolved[0].origin, kC);
  EXPECT_EQ(lin->model->unresolved[0].leaf_index, 0u);
  EXPECT_EQ(lin->model->unresolved[0].declaration_leaf, lin_main_decl_);
}

// Lineage joins only the same provider's model: a run of a model no
// organisation declared at C (unknown provider) is not Lineage AG's to
// claim; it stays that factory's own model and X3 says why.
TEST_F(OfficeStateTest, LineageDoesNotJoinAModelOfUnknownProvider) {
  uint64_t orphan_run = 0;
  ASSERT_OK_AND_SET(orphan_run,
                    c_->Run({"c/7", "orphan-x", "other", H(1), 3e22, 1e9}));
  aifl::provider::v1::ModelDeclaration lin =
      Declaration("lin-main", "Lineage AG");
  aifl::provider::v1::RunAtLog* own = lin.add_runs_at_other_logs();
  own->set_origin(kC);
  own->set_leaf_index(lin_aux_run_);
  aifl::provider::v1::RunAtLog* orphan = lin.add_runs_at_other_logs();
  orphan->set_origin(kC);
  orphan->set_leaf_index(orphan_run);
  uint64_t redeclared = 0;
  ASSERT_OK_AND_SET(redeclared, a_->Provider("lineage", lin, H(2)));
  auto office = NewOffice();
  Feed(*office);
  const std::vector<v1::Finding> out = office->Evaluate(now_);
  const MergedModel* lin_main = nullptr;
  const MergedModel* orphan_model = nullptr;
  for (const MergedModel& m : office->models()) {
    if (m.model->key.model_id == "lin-main") lin_main = &m;
    if (m.model->key.model_id == "orphan-x") orphan_model = &m;
  }
  ASSERT_NE(lin_main, nullptr);
  ASSERT_NE(orphan_model, nullptr);
  // lin-aux (Lineage AG's at C) joined; orphan-x did not.
  EXPECT_DOUBLE_EQ(lin_main->merged.measured_training.lower, 3e22);
  EXPECT_EQ(orphan_model->model->key.provider, "");
  EXPECT_EQ(orphan_model->model->key.origin, kC);
  EXPECT_DOUBLE_EQ(orphan_model->merged.measured_training.lower, 3e22);
  ASSERT_EQ(lin_main->model->unresolved.size(), 1u);
  const UnresolvedLineage& u = lin_main->model->unresolved[0];
  EXPECT_EQ(u.leaf_index, orphan_run);
  EXPECT_EQ(u.declaration_leaf, redeclared);
  EXPECT_NE(u.why.find("not shown to own it"), std::string::npos) << u.why;
  const v1::Finding* x3 = FindRaised(out, "lin-main", "X3");
  ASSERT_NE(x3, nullptr);
  EXPECT_NE(x3->message().find("(unknown provider at " + std::string(kC) +
                               ") / orphan-x"),
            std::string::npos)
      << x3->message();
}

// DQ1 on the union words each refused record by its kind, as at the
// factory: another organisation's declaration of contra-1 at C is a refused
// claim, not a collector record with impossible values.
TEST_F(OfficeStateTest, DataQualityOnTheUnionKeepsWhatKindEachRecordIs) {
  Ok(c_->Provider("split", Declaration("contra-1", "Split Co"), H(3)));
  auto office = NewOffice();
  Feed(*office);
  const std::vector<v1::Finding> out = office->Evaluate(now_);
  const v1::Finding* dq1 = FindRaised(out, "contra-1", "DQ1");
  ASSERT_NE(dq1, nullptr);
  EXPECT_NE(dq1->message().find("1 declaration(s) signed for another "
                                "organisation"),
            std::string::npos)
      << dq1->message();
  EXPECT_EQ(dq1->message().find("hold values that cannot be true"),
            std::string::npos)
      << dq1->message();
}

TEST_F(OfficeStateTest, RecordsEachFindingOnceAndAcrossRestarts) {
  auto office = NewOffice();
  Feed(*office);
  const std::vector<v1::Finding> first = office->Evaluate(now_);
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(office->Evaluate(now_ + absl::Hours(1)).empty());

  // A restart: the leaves again, the recorded findings read back.
  auto restarted = NewOffice();
  fed_.clear();
  Feed(*restarted);
  for (const v1::Finding& f : first) restarted->Record(f);
  EXPECT_TRUE(restarted->Evaluate(now_ + absl::Hours(2)).empty());
}

TEST_F(OfficeStateTest, AConsistentRedeclarationClearsTheContradiction) {
  auto office = NewOffice();
  Feed(*office);
  ASSERT_NE(FindRaised(office->Evaluate(now_), "contra-1", "X2"), nullptr);
  Ok(c_->Provider("contra", Declaration("contra-1", "Contra GmbH"), H(30)));
  Feed(*office);
  const std::vector<v1::Finding> out = office->Evaluate(now_);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule_id(), "X2");
  EXPECT_EQ(out[0].state(), v1::CLEARED);
}

TEST(ContradictingFieldsTest, OnlyFactsBothDeclare) {
  const aifl::provider::v1::ModelDeclaration base = Declaration("m", "P");
  const struct {
    std::string name;
    void (*change)(aifl::provider::v1::ModelDeclaration*);
    std::vector<std::string> want;
  } cases[] = {
      {"same", [](aifl::provider::v1::ModelDeclaration*) {}, {}},
      {"country",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->set_provider_country("US");
       },
       {"provider_country"}},
      {"country not declared",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->clear_provider_country();
       },
       {}},
      {"in_eu undeclared",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->clear_provider_in_eu();
       },
       {}},
      {"in_eu no",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->set_provider_in_eu(false);
       },
       {"provider_in_eu"}},
      {"modalities",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->add_modalities(aifl::provider::v1::AUDIO);
       },
       {"modalities"}},
      {"placed",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->set_placed_on_eu_market(true);
         d->set_placed_on_market_unix_ms(1);
       },
       {"placed_on_eu_market"}},
      {"compute is D1/D2's",
       [](aifl::provider::v1::ModelDeclaration* d) {
         d->mutable_compute()->mutable_training()->set_lower(1e24);
       },
       {}},
  };
  for (const auto& c : cases) {
    aifl::provider::v1::ModelDeclaration other = base;
    c.change(&other);
    EXPECT_EQ(ContradictingFields(base, other), c.want) << c.name;
  }
}

}  // namespace
}  // namespace compliance
