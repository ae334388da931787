// OfficeLedgerSink: a log the monitor stopped becomes one X4 finding in the
// Office ledger (the factory named, its stopped size as the figure), and a
// restart on the same Office ledger does not record it again. The fold of
// verified leaves and its restart are driven end to end, through the real
// binaries, by tests/e2e/office_federation_test.
#include "office/office_ledger_sink.h"

#include <memory>
#include <string>
#include <vector>

#include "compliance/office_rules.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "office/testonly/office_ledger_fixture.h"

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

  const OfficeLedgerOptions options = Must(testonly::FreshOfficeLedger());

  for (int start = 0; start < 2; ++start) {
    auto sink = Must(OfficeLedgerSink::Open(options, mirror.get()));
    const OfficeRecorded r = Must(sink->SyncAll());
    EXPECT_EQ(r.findings, start == 0 ? 1u : 0u) << "start " << start;
    EXPECT_EQ(Must(sink->Sync(kFactory)).findings, 0u);
  }

  const std::vector<aifl::rules::v1::Finding> x4 =
      testonly::FindingsOf(Must(testonly::ReadOfficeLedger(options.ledger_dir)),
                           compliance::kLogStoppedRule);
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
