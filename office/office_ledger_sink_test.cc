// OfficeLedgerSink: a log the monitor stopped becomes one X4 finding in the
// Office ledger (the factory named, its stopped size as the figure), and a
// restart on the same Office ledger does not record it again. The fold of
// verified leaves and its restart are driven end to end, through the real
// binaries, by tests/e2e/office_federation_test.
#include "office/office_ledger_sink.h"

#include <memory>
#include <string>
#include <vector>

#include "compliance/leaf_entry.h"
#include "compliance/office_rules.h"
#include "compliance/testonly/factory_log.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "rules/payload_types.h"

namespace office {
namespace {

constexpr char kFactory[] = "f.example.eu/ledger";

template <typename T>
T Must(absl::StatusOr<T> v) {
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

TEST(OfficeLedgerSinkTest, StoppedLogIsRecordedOnceAsX4) {
  auto mirror = Must(Mirror::Open(ledger::testonly::FreshDir("sink-mirror")));
  LogIncident incident;
  incident.origin = kFactory;
  incident.kind = IncidentKind::kFork;
  incident.reason = "two checkpoints of size 7";
  incident.detected_unix_seconds = 1'790'000'000;
  ASSERT_TRUE(mirror->Stop(incident).ok());

  auto office = Must(compliance::testonly::FactoryLog::Create("office/log"));
  OfficeLedgerOptions options;
  options.rules_key_path = Must(office->EnrolKeyFile(
      aifl::ledger::v1::ROLE_RULES, "AI Office", "office-rules"));
  options.office_key_path = Must(office->EnrolKeyFile(
      aifl::ledger::v1::ROLE_OFFICE, "AI Office", "office"));
  Must(office->ledger().PublishCheckpoint());
  options.ledger_dir = office->dir();
  office->Close();

  for (int start = 0; start < 2; ++start) {
    auto sink = Must(OfficeLedgerSink::Open(options, mirror.get()));
    const OfficeRecorded r = Must(sink->SyncAll());
    EXPECT_EQ(r.findings, start == 0 ? 1u : 0u) << "start " << start;
    EXPECT_EQ(Must(sink->Sync(kFactory)).findings, 0u);
  }

  ledger::LedgerOptions read;
  read.dir = options.ledger_dir;
  read.read_only = true;
  auto l = Must(ledger::Ledger::Open(read));
  std::vector<aifl::rules::v1::Finding> x4;
  for (uint64_t i = 0; i < l->Size(); ++i) {
    const compliance::ConvertedLeaf c = Must(compliance::ConvertLeaf(
        i, Must(l->GetLeaf(i)),
        [&](const ledger::crypto::KeyId& id) { return l->FindKey(id); }));
    aifl::rules::v1::Finding f;
    if (c.entry.payload_type == rules::kFindingType &&
        f.ParseFromString(c.entry.payload) &&
        f.rule_id() == compliance::kLogStoppedRule) {
      EXPECT_EQ(c.entry.signer_role, aifl::ledger::v1::ROLE_RULES);
      x4.push_back(f);
    }
  }
  ASSERT_EQ(x4.size(), 1u);
  EXPECT_EQ(x4[0].unit(), aifl::rules::v1::REGULATION_AND_COMPLIANCE);
  ASSERT_EQ(x4[0].evidence_origins_size(), 1);
  EXPECT_EQ(x4[0].evidence_origins(0), kFactory);
  ASSERT_EQ(x4[0].figures_size(), 1);
  EXPECT_EQ(x4[0].figures(0).name(),
            std::string("verified_size at ") + kFactory);
  EXPECT_NE(x4[0].message().find("(fork): two checkpoints of size 7"),
            std::string::npos)
      << x4[0].message();
}

}  // namespace
}  // namespace office
