// A real ledger (ledger/testonly/ledger_fixture.h) holding three models whose
// findings are known, for compliance_check's tests:
//   * "small": 1.2e23 FLOP declared and measured, placed on the EU market on
//     2026-06-01 with Annex XII, copyright policy and training summary but
//     no Annex XI documentation → C1 (INFO) and O1 (VIOLATION);
//   * "big": 2e25 FLOP, meant for the EU market, crossing on Monday
//     2026-06-01, notified on 2026-06-20 (period ended 2026-06-15) →
//     C1 (INFO), C4 (WARNING), N1 (VIOLATION, notified late);
//   * "clean": 5e22 FLOP declared and measured → nothing.
// Provider, collector, office and rules keys are enrolled; the rules key's
// secret key file is written beside the ledger. A checkpoint covers all.
#ifndef TESTS_COMPLIANCE_TESTONLY_SCENARIO_LEDGER_H_
#define TESTS_COMPLIANCE_TESTONLY_SCENARIO_LEDGER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ledger/testonly/ledger_fixture.h"

namespace compliance_test {

struct ScenarioLedger {
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture;
  std::string rules_key_path;
  uint64_t small_declaration = 0, small_interval = 0;
  uint64_t big_declaration = 0, big_interval = 0, big_notification = 0;
  uint64_t clean_declaration = 0;
};

// Brussels wall-clock time.
absl::Time Brussels(int y, int m, int d, int hh = 12);

// Builds the ledger in a fresh folder under $TEST_TMPDIR. The fixture keeps
// it open; Close() it before opening it read-write elsewhere.
absl::StatusOr<ScenarioLedger> BuildScenarioLedger();

}  // namespace compliance_test

#endif  // TESTS_COMPLIANCE_TESTONLY_SCENARIO_LEDGER_H_
