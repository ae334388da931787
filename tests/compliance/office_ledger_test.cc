// The AI Office ledger: the Office's findings, the factory checkpoints it
// verified and its model totals recorded with its own keys in a real
// ledger, then read back as `ledgerctl models --server OFFICE` reads them
// (api::client::ListModelsOf over the ledger's one fold): the union's totals
// with each factory's share.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/client/model_records.h"
#include "api/validation/payload_validator.h"
#include "common/read_file.h"
#include "compliance/log_fold.h"
#include "compliance/office_recorder.h"
#include "compliance/office_state.h"
#include "compliance/testonly/factory_log.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"
#include "tools/ledgerctl/auditor_commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/report_command.h"

namespace {

using compliance::testonly::Declaration;
using compliance::testonly::FactoryLog;

constexpr char kA[] = "a.example/log";
constexpr char kB[] = "b.example/log";
const absl::Time kT0 = absl::FromUnixSeconds(1'780'100'000);

template <typename T>
T Must(absl::StatusOr<T> v) {
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

TEST(OfficeLedgerTest, ModelViewShowsTheUnionAndEachFactorysShare) {
  auto a = Must(FactoryLog::Create(kA));
  auto b = Must(FactoryLog::Create(kB));
  for (FactoryLog* log : {a.get(), b.get()}) {
    ASSERT_TRUE(log->EnrolProvider("frontier", 1, "Frontier Labs SAS").ok());
    Must(log->Provider("frontier",
                       Declaration("frontier-1", "Frontier Labs SAS"), kT0));
    Must(log->Run({log->origin() + "/1", "frontier-1", "acct",
                   kT0 + absl::Hours(1), 0.75e25, 4e12}));
    Must(log->ledger().PublishCheckpoint());
  }
  auto pack = Must(rules::LoadRulePack(""));
  auto office = Must(compliance::OfficeState::Create(pack));
  for (FactoryLog* log : {a.get(), b.get()}) {
    const std::vector<std::string> leaves = Must(log->Leaves());
    for (uint64_t i = 0; i < leaves.size(); ++i) {
      ASSERT_TRUE(office->Add(log->origin(), i, leaves[i]).ok());
    }
  }
  const absl::Time now = kT0 + absl::Hours(24);
  const std::vector<aifl::rules::v1::Finding> findings = office->Evaluate(now);
  const std::vector<aifl::office::v1::ModelTotals> totals =
      office->TotalsToRecord(now);
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_TRUE(office->TotalsToRecord(now).empty());

  // The Office ledger: its own origin, a rules key and an office key.
  auto ledger = Must(FactoryLog::Create("office.example/log"));
  const std::string rules_key = Must(ledger->EnrolKeyFile(
      aifl::ledger::v1::ROLE_RULES, "AI Office", "office-rules"));
  const std::string office_key = Must(ledger->EnrolKeyFile(
      aifl::ledger::v1::ROLE_OFFICE, "AI Office", "office"));
  auto recorder = Must(compliance::OfficeRecorder::Create(
      &ledger->ledger(), rules_key, office_key));
  for (FactoryLog* log : {a.get(), b.get()}) {
    aifl::office::v1::FactoryCheckpoint cp;
    cp.set_origin(log->origin());
    cp.set_size(log->ledger().Size());
    const ledger::merkle::Hash root = Must(log->ledger().RootAt(cp.size()));
    cp.set_root_hash(std::string(root.begin(), root.end()));
    cp.set_checkpoint_note(Must(log->ledger().LatestCheckpoint()));
    Must(recorder->RecordCheckpoint(cp));
  }
  Must(recorder->RecordFindings(findings));
  Must(recorder->RecordTotals(totals));
  // The wrong role for a key is refused, naming it.
  EXPECT_EQ(compliance::OfficeRecorder::Create(&ledger->ledger(), office_key,
                                               office_key)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  // Read back through the ledger's one fold, as its server does.
  auto fold = Must(compliance::LogFold::Create(pack));
  const std::vector<std::string> leaves = Must(ledger->Leaves());
  const compliance::KeyLookup keys = [&](const ledger::crypto::KeyId& id) {
    return ledger->ledger().FindKey(id);
  };
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    auto added = Must(fold->Add(i, leaves[i], keys));
    EXPECT_EQ(added.use, compliance::LogFold::Use::kFolded) << added.why;
  }
  const aifl::api::v1::ListModelsResponse models =
      api::client::ListModelsOf(*fold, 100, "");
  ASSERT_EQ(models.models_size(), 1);
  const aifl::api::v1::ModelSummary& m = models.models(0);
  EXPECT_EQ(m.model_id(), "frontier-1");
  EXPECT_EQ(m.provider(), "Frontier Labs SAS");
  EXPECT_DOUBLE_EQ(m.cumulative_compute_flop().lower(), 1.5e25);
  EXPECT_DOUBLE_EQ(m.energy_joules(), 8e12);
  EXPECT_GE(m.open_findings(), 2u);  // C4 and N1 at least
  ASSERT_EQ(m.factories_size(), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(m.factories(i).origin(), i == 0 ? kA : kB);
    EXPECT_DOUBLE_EQ(m.factories(i).measured_cumulative().lower(), 0.75e25);
    EXPECT_EQ(m.factories(i).runs(), 1u);
  }
  auto detail = api::client::ModelDetailOf(
      *fold,
      compliance::OfficeModelName("Frontier Labs SAS", "", "frontier-1"));
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->findings_size(), static_cast<int>(findings.size()));

  // `ledgerctl models` on the Office ledger: the union, then each factory.
  Must(ledger->ledger().PublishCheckpoint());
  ledger->Close();
  std::ostringstream out;
  const absl::Status printed =
      ledgerctl::Models(ledgerctl::CommandArgs{ledger->dir()}, out);
  ASSERT_TRUE(printed.ok()) << printed;
  EXPECT_NE(out.str().find("frontier-1"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  at a.example/log"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("  at b.example/log"), std::string::npos)
      << out.str();

  // `ledgerctl model` by the name the list gives (the Office name): each
  // factory's share with its evidence counts.
  EXPECT_EQ(m.office_name(),
            compliance::OfficeModelName("Frontier Labs SAS", "", "frontier-1"));
  absl::SetFlag(&FLAGS_model, m.office_name());
  std::ostringstream detail_out;
  const absl::Status shown =
      ledgerctl::Model(ledgerctl::CommandArgs{ledger->dir()}, detail_out);
  ASSERT_TRUE(shown.ok()) << shown;
  for (const char* origin : {kA, kB}) {
    EXPECT_NE(detail_out.str().find(
                  absl::StrCat("  at ", origin, ": training ",
                               ledgerctl::FlopRangeText(0.75e25, 0.75e25))),
              std::string::npos)
        << detail_out.str();
  }
  EXPECT_NE(detail_out.str().find("runs 1, declarations 1"), std::string::npos)
      << detail_out.str();

  // The HTML report of the Office ledger: the global model, found by its
  // Office name, with the table of its factories' shares.
  absl::SetFlag(&FLAGS_model, "");
  const std::string html_path = ledger->dir() + "/../office-report.html";
  absl::SetFlag(&FLAGS_out, html_path);
  std::ostringstream report_out;
  const absl::Status reported =
      ledgerctl::Report(ledgerctl::CommandArgs{ledger->dir()}, report_out);
  ASSERT_TRUE(reported.ok()) << reported;
  const std::string html = common::ReadWholeFile(html_path).value();
  const size_t shares = html.find("Share of each factory (AI Office)");
  ASSERT_NE(shares, std::string::npos) << html;
  EXPECT_NE(html.find(absl::StrCat("<td>", kA, "</td>"), shares),
            std::string::npos);
  EXPECT_NE(html.find(absl::StrCat("<td>", kB, "</td>"), shares),
            std::string::npos);
}

TEST(OfficeLedgerTest, IngestValidatesTheOfficePayloads) {
  const api::validation::TimeWindow window =
      api::validation::WindowForIntegrationTime(
          absl::ToUnixMicros(kT0 + absl::Hours(1)));
  aifl::office::v1::FactoryCheckpoint cp;
  cp.set_origin(kA);
  cp.set_root_hash(std::string(31, 'r'));
  EXPECT_FALSE(api::validation::ValidatePayload(rules::kFactoryCheckpointType,
                                                cp.SerializeAsString(), window)
                   .ok());
  cp.set_root_hash(std::string(32, 'r'));
  EXPECT_TRUE(api::validation::ValidatePayload(rules::kFactoryCheckpointType,
                                               cp.SerializeAsString(), window)
                  .ok());
  aifl::office::v1::ModelTotals t;
  t.set_evaluated_at_unix_ms(absl::ToUnixMillis(kT0));
  t.add_factories()->mutable_measured_cumulative()->set_lower(-1);
  EXPECT_FALSE(api::validation::ValidatePayload(rules::kModelTotalsType,
                                                t.SerializeAsString(), window)
                   .ok());
  t.mutable_factories(0)->mutable_measured_cumulative()->set_lower(0);
  EXPECT_TRUE(api::validation::ValidatePayload(rules::kModelTotalsType,
                                               t.SerializeAsString(), window)
                  .ok());
}

}  // namespace
