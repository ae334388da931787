// compliance_check against a real ledger: the exact findings, exit codes,
// --as-of, and --record appending once.
#include "tools/compliance_check/compliance_check.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "compliance/findings_recorder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "rules/evidence.h"
#include "tests/compliance/testonly/scenario_ledger.h"
#include "tools/compliance_check/report.h"

namespace compliance_check {
namespace {

namespace v1 = aifl::rules::v1;
using compliance_test::Brussels;
using compliance_test::BuildScenarioLedger;
using compliance_test::ScenarioLedger;
using ::testing::HasSubstr;

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";

ScenarioLedger Build() {
  auto s = BuildScenarioLedger();
  EXPECT_TRUE(s.ok()) << s.status();
  return std::move(s).value();
}

Options Base(const ScenarioLedger& s) {
  Options o;
  o.dir = s.fixture->dir();
  o.now = Brussels(2026, 7, 1);
  o.pack_path = kPack;
  return o;
}

// Options recording with the rules key, the ledger's clock set to `at`
// (the fixture closed, so that the check opens it read-write).
Options RecordAt(ScenarioLedger& s, absl::Time at) {
  s.fixture->Close();
  Options o = Base(s);
  o.record = true;
  o.rules_key = s.rules_key_path;
  o.ledger_clock = &s.fixture->clock();
  s.fixture->clock().Set(at);
  return o;
}

// "model:rule:SEVERITY:unit:leaves" per finding.
std::string Summary(const std::vector<v1::Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) {
    out.push_back(absl::StrCat(f.model_id(), ":", f.rule_id(), ":",
                               v1::Severity_Name(f.severity()), ":", f.unit(),
                               ":", absl::StrJoin(rules::CitedLeaves(f), ",")));
  }
  return absl::StrJoin(out, " ");
}

const v1::Finding* FindRule(const std::vector<v1::Finding>& fs,
                            const std::string& model, const std::string& rule) {
  for (const auto& f : fs) {
    if (f.model_id() == model && f.rule_id() == rule) return &f;
  }
  return nullptr;
}

TEST(ComplianceCheckTest, ReportsTheExactFindings) {
  ScenarioLedger s = Build();
  auto r = Check(Base(s));
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string big_n1 =
      absl::StrCat(s.big_declaration, ",", s.big_notification);
  EXPECT_EQ(Summary(r->findings),
            absl::StrCat(
                "big:C1:INFO:1:", s.big_declaration, ",", s.big_interval,
                " big:C4:WARNING:2:", s.big_declaration, ",", s.big_interval,
                " big:N1:VIOLATION:1:", big_n1,
                " small:C1:INFO:1:", s.small_declaration, ",", s.small_interval,
                " small:O1:VIOLATION:1:", s.small_declaration));
  EXPECT_EQ(r->failing, 2u);
  EXPECT_EQ(r->entries_evaluated, r->checkpoint_size);

  const v1::Finding* n1 = FindRule(r->findings, "big", "N1");
  ASSERT_NE(n1, nullptr);
  EXPECT_THAT(n1->message(), HasSubstr("notified late on 2026-06-20"));
  EXPECT_EQ(n1->deadline_unix_ms(),
            absl::ToUnixMillis(Brussels(2026, 6, 16, 0)));
  const v1::Finding* c1 = FindRule(r->findings, "small", "C1");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->message(),
            "[P] C1 " + c1->title() +
                ": training compute is over 1.0e+23 FLOP (declared 1.2e+23 "
                "FLOP (DECLARED_HARDWARE); measured 1.1e+23..1.3e+23 FLOP "
                "(MEASURED_TENSOR_ACTIVITY)).");
  const v1::Finding* o1 = FindRule(r->findings, "small", "O1");
  ASSERT_NE(o1, nullptr);
  EXPECT_THAT(o1->message(),
              HasSubstr("no ANNEX_XI_TECHNICAL_DOCUMENTATION is recorded"));
}

TEST(ComplianceCheckTest, ReportSaysWhenTheClockWasSimulated) {
  ScenarioLedger s = Build();
  auto real = Check(Base(s));
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(real->simulated_clock_since, std::nullopt);
  EXPECT_THAT(TextReport(*real, v1::VIOLATION),
              ::testing::Not(HasSubstr("SIMULATED CLOCK")));
  EXPECT_THAT(JsonReport(*real, v1::VIOLATION),
              HasSubstr("\"simulated_clock_since\":null}"));

  const uint64_t size = s.fixture->ledger().Size();
  s.fixture->Close();
  {
    ledger::LedgerOptions lo;
    lo.dir = s.fixture->dir();
    lo.clock = &s.fixture->clock();
    lo.simulated_clock = true;
    auto marked = ledger::Ledger::Open(lo);
    ASSERT_TRUE(marked.ok()) << marked.status();
  }
  auto simulated = Check(Base(s));
  ASSERT_TRUE(simulated.ok()) << simulated.status();
  EXPECT_EQ(simulated->simulated_clock_since, size);
  EXPECT_THAT(
      TextReport(*simulated, v1::VIOLATION),
      HasSubstr(absl::StrCat("SIMULATED CLOCK: this ledger's integration "
                             "times follow a simulated clock (marked at tree "
                             "size ",
                             size, "); it is not a real factory's record\n")));
  EXPECT_THAT(JsonReport(*simulated, v1::VIOLATION),
              HasSubstr(absl::StrCat("\"simulated_clock_since\":", size, "}")));
}

// Issue 16: the report prints a finding's evidence the same from the old form
// (evidence_leaves) and the compact one; when the ranges were cut it adds the
// total and the hash of the full list.
TEST(ComplianceCheckTest, ReportPrintsOldAndCompactEvidence) {
  CheckResult r;
  v1::Finding old_form;
  old_form.set_rule_id("OLD");
  old_form.add_evidence_leaves(4);
  old_form.add_evidence_leaves(9);
  v1::Finding compact;
  compact.set_rule_id("NEW");
  rules::SetEvidence(std::vector<uint64_t>{4, 9}, &compact);
  v1::Finding cut;
  cut.set_rule_id("CUT");
  std::vector<uint64_t> many;
  for (uint64_t i = 0; i < 600; ++i) many.push_back(2 * i);
  rules::SetEvidence(many, &cut);
  r.findings = {old_form, compact, cut};
  const std::string text = TextReport(r, v1::VIOLATION);
  const std::string json = JsonReport(r, v1::VIOLATION);
  const std::string hex = absl::BytesToHexString(rules::EvidenceSha256(many));
  const std::string pair_hex = absl::BytesToHexString(
      rules::EvidenceSha256(std::vector<uint64_t>{4, 9}));
  // The same line for the old and the compact form.
  const std::string line = "evidence leaves: 4, 9\n";
  ASSERT_NE(text.find(line), std::string::npos) << text;
  EXPECT_NE(text.find(line), text.rfind(line)) << text;
  EXPECT_THAT(text, HasSubstr("1020, 1022 … (512 listed of 600 leaves; "
                              "SHA-256 of all: " +
                              hex + ")\n"));
  EXPECT_THAT(json, HasSubstr("\"evidence_leaves\":[4,9],\"evidence_count\":"
                              "2,\"evidence_sha256\":null,"));
  EXPECT_THAT(json, HasSubstr("\"evidence_leaves\":[4,9],\"evidence_count\":"
                              "2,\"evidence_sha256\":\"" +
                              pair_hex + "\","));
  EXPECT_THAT(json, HasSubstr("1022],\"evidence_count\":600,"
                              "\"evidence_sha256\":\"" +
                              hex + "\","));
}

TEST(ComplianceCheckTest, ReportSaysWhichLeavesAreNotEvidence) {
  ScenarioLedger s = Build();
  auto r = Check(Base(s));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->not_evidence.count(), 0u);
  EXPECT_THAT(TextReport(*r, v1::VIOLATION),
              ::testing::Not(HasSubstr("NOT EVIDENCE")));
  EXPECT_THAT(JsonReport(*r, v1::VIOLATION),
              HasSubstr("\"not_evidence\":{\"count\":0,\"first\":[]}"));

  // As ReadCheckpointedEntries reports a leaf whose signer the registry
  // consulted does not hold (compliance/leaf_entry.h).
  r->not_evidence.Add(7, "signer key k is not in the key registry");
  EXPECT_THAT(TextReport(*r, v1::VIOLATION),
              HasSubstr("NOT EVIDENCE: 1 leaf is not evidence (signer not "
                        "enrolled at that leaf), left out: leaf 7: signer key "
                        "k is not in the key registry\n"));
  EXPECT_THAT(JsonReport(*r, v1::VIOLATION),
              HasSubstr("\"not_evidence\":{\"count\":1,\"first\":[{"
                        "\"leaf\":7,\"why\":\"signer key k is not in the "
                        "key registry\"}]}"));
}

TEST(ComplianceCheckTest, ExitCodes) {
  ScenarioLedger s = Build();
  std::ostringstream out, err;
  EXPECT_EQ(compliance_check::Run(Base(s), out, err), kExitFindings);
  EXPECT_THAT(out.str(), HasSubstr("== Regulation and Compliance =="));
  EXPECT_THAT(out.str(), HasSubstr("== AI Safety =="));
  EXPECT_THAT(out.str(), HasSubstr("figure measured_training_compute_flop: "
                                   "1.1e+23..1.3e+23 "
                                   "(MEASURED_TENSOR_ACTIVITY)"));

  Options clean = Base(s);
  clean.model = "clean";
  EXPECT_EQ(compliance_check::Run(clean, out, err), kExitClean);

  Options critical = Base(s);
  critical.fail_on = v1::CRITICAL;
  EXPECT_EQ(compliance_check::Run(critical, out, err), kExitClean);

  Options json = Base(s);
  json.json = true;
  json.model = "small";
  std::ostringstream json_out;
  EXPECT_EQ(compliance_check::Run(json, json_out, err), kExitFindings);
  EXPECT_THAT(json_out.str(), HasSubstr("\"rule\":\"O1\""));
  EXPECT_THAT(json_out.str(), HasSubstr("\"failing\":1"));

  Options missing = Base(s);
  missing.dir = s.fixture->dir() + "/nope";
  std::ostringstream missing_err;
  EXPECT_EQ(compliance_check::Run(missing, out, missing_err), kExitError);
  const std::string missing_text = missing_err.str();
  EXPECT_EQ(std::count(missing_text.begin(), missing_text.end(), '\n'), 1)
      << missing_text;

  Options no_dir = Base(s);
  no_dir.dir = "";
  EXPECT_EQ(compliance_check::Run(no_dir, out, err), kExitError);
}

TEST(ComplianceCheckTest, AsOfUsesOnlyEntriesIntegratedByThen) {
  ScenarioLedger s = Build();
  Options o = Base(s);
  o.as_of = Brussels(2026, 6, 10);
  auto r = Check(o);
  ASSERT_TRUE(r.ok()) << r.status();
  const v1::Finding* n1 = FindRule(r->findings, "big", "N1");
  ASSERT_NE(n1, nullptr);
  EXPECT_EQ(n1->severity(), v1::WARNING);
  EXPECT_THAT(n1->message(), HasSubstr("notification due"));
  EXPECT_EQ(n1->evaluated_at_unix_ms(),
            absl::ToUnixMillis(Brussels(2026, 6, 10)));
  EXPECT_LT(r->entries_evaluated, r->checkpoint_size);

  o.model = "big";
  std::ostringstream out, err;
  EXPECT_EQ(compliance_check::Run(o, out, err),
            kExitClean);  // only a WARNING then
  o.fail_on = v1::WARNING;
  EXPECT_EQ(compliance_check::Run(o, out, err), kExitFindings);

  Options before = Base(s);
  before.as_of = Brussels(2026, 5, 30);
  auto empty = Check(before);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->findings.empty());
}

TEST(ComplianceCheckTest, RecordTwiceAppendsOnce) {
  ScenarioLedger s = Build();
  const uint64_t size0 = s.fixture->ledger().Size();
  Options o = RecordAt(s, Brussels(2026, 7, 1));

  auto first = Check(o);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Summary(first->recorded), Summary(first->findings));
  EXPECT_EQ(first->recorded.size(), 5u);
  EXPECT_EQ(first->recorded_from_leaf, size0);
  EXPECT_EQ(first->ledger_size, size0 + 5);

  s.fixture->clock().Set(Brussels(2026, 7, 2));
  o.now = Brussels(2026, 7, 2);
  auto second = Check(o);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->recorded.empty()) << Summary(second->recorded);
  EXPECT_EQ(second->ledger_size, size0 + 5);
  EXPECT_EQ(second->findings.size(), first->findings.size());

  // The recorded findings are in the checkpointed ledger, read back.
  ASSERT_TRUE(s.fixture->Reopen().ok());
  EXPECT_EQ(s.fixture->ledger().Size(), size0 + 5);
}

// Issue 16: an auditor replays the rules and checks each recorded finding's
// compact evidence (count and SHA-256); a finding whose hash was altered
// before signing is named, and the exit code says so.
TEST(ComplianceCheckTest, CheckRecordedComparesEvidenceWithAReplay) {
  ScenarioLedger s = Build();
  Options o = RecordAt(s, Brussels(2026, 7, 1));
  auto recorded = Check(o);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->recorded.size(), 5u);

  Options check = Base(s);
  check.now = Brussels(2026, 7, 2);
  check.check_recorded = true;
  auto honest = Check(check);
  ASSERT_TRUE(honest.ok()) << honest.status();
  ASSERT_TRUE(honest->recorded_evidence.has_value());
  EXPECT_EQ(honest->recorded_evidence->compared, 5u);
  EXPECT_THAT(honest->recorded_evidence->mismatches, ::testing::IsEmpty());
  std::ostringstream out, err;
  compliance_check::Run(check, out, err);
  EXPECT_THAT(out.str(), HasSubstr("Recorded findings: 5 compared with a "
                                   "replay of the rules, 0 with other "
                                   "evidence"));

  // A rules key records a finding whose evidence hash is not the replay's.
  const v1::Finding* original = nullptr;
  for (const v1::Finding& f : recorded->recorded) {
    if (rules::EvidenceCount(f) > 0) original = &f;
  }
  ASSERT_NE(original, nullptr);
  v1::Finding altered = *original;
  std::string hash = altered.evidence_sha256();
  hash[0] ^= 1;
  altered.set_evidence_sha256(hash);
  ASSERT_TRUE(s.fixture->Reopen().ok());
  const uint64_t leaf = s.fixture->ledger().Size();
  {
    auto recorder = compliance::FindingsRecorder::Create(&s.fixture->ledger(),
                                                         s.rules_key_path);
    ASSERT_TRUE(recorder.ok()) << recorder.status();
    ASSERT_TRUE((*recorder)->Record({altered}).ok());
    ASSERT_TRUE(s.fixture->ledger().PublishCheckpoint().ok());
  }
  s.fixture->Close();
  auto caught = Check(check);
  ASSERT_TRUE(caught.ok()) << caught.status();
  EXPECT_EQ(caught->recorded_evidence->compared, 6u);
  ASSERT_EQ(caught->recorded_evidence->mismatches.size(), 1u);
  EXPECT_THAT(caught->recorded_evidence->mismatches[0],
              HasSubstr(absl::StrCat("the finding recorded at leaf ", leaf,
                                     " (model ", original->model_id(),
                                     ", rule ", original->rule_id())));
  EXPECT_THAT(caught->recorded_evidence->mismatches[0],
              HasSubstr(absl::StrCat("SHA-256 ", absl::BytesToHexString(hash),
                                     "; replaying the rules over the log "
                                     "gives ")));
  std::ostringstream out2, err2;
  EXPECT_EQ(compliance_check::Run(check, out2, err2), kExitFindings)
      << out2.str();
  EXPECT_THAT(out2.str(), HasSubstr("EVIDENCE MISMATCH: the finding recorded "
                                    "at leaf "));
  check.json = true;
  std::ostringstream json, err3;
  compliance_check::Run(check, json, err3);
  EXPECT_THAT(json.str(), HasSubstr("\"recorded_evidence\":{\"compared\":6,"));
}

TEST(ComplianceCheckTest, RecordRefusesAsOfAndNonRulesKeys) {
  ScenarioLedger s = Build();
  s.fixture->Close();
  Options o = Base(s);
  o.record = true;
  o.rules_key = s.rules_key_path;
  o.as_of = Brussels(2026, 6, 10);
  EXPECT_EQ(Check(o).status().code(), absl::StatusCode::kInvalidArgument);
  o.as_of.reset();
  o.rules_key = ledger::DefaultAdminKeyPath(s.fixture->dir());
  EXPECT_EQ(Check(o).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(ComplianceCheckTest, ParsesArguments) {
  bool help = false;
  auto o = ParseArgs({"--dir", "d", "--as-of=2026-06-10T10:00:00Z", "--json",
                      "--fail_on", "warning", "--model=m"},
                     "/work", absl::UnixEpoch(), &help);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->dir, "/work/d");
  EXPECT_EQ(*o->as_of, absl::FromUnixSeconds(1781085600));
  EXPECT_TRUE(o->json);
  EXPECT_EQ(o->fail_on, v1::WARNING);
  EXPECT_EQ(o->model, "m");
  o = ParseArgs({"--index_dir", "idx", "--index-store=/s"}, "/work",
                absl::UnixEpoch(), &help);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->index_dir, "/work/idx");
  EXPECT_EQ(o->index_store, "/s");
  EXPECT_FALSE(
      ParseArgs({"--fail_on", "bad"}, "", absl::UnixEpoch(), &help).ok());
  EXPECT_FALSE(
      ParseArgs({"--as-of", "yesterday"}, "", absl::UnixEpoch(), &help).ok());
  EXPECT_FALSE(ParseArgs({"--server"}, "", absl::UnixEpoch(), &help).ok());
  EXPECT_TRUE(ParseArgs({"--help"}, "", absl::UnixEpoch(), &help).ok());
  EXPECT_TRUE(help);
}

}  // namespace
}  // namespace compliance_check
