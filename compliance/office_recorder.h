// Records the AI Office's work in its own ledger (compliance/README.md, "The
// Office ledger"): findings signed by the Office's rules key (ROLE_RULES,
// aifl.rules.v1.Finding, through FindingsRecorder), and, signed by its
// office key (ROLE_OFFICE), each factory checkpoint it verified
// (aifl.office.v1.FactoryCheckpoint) and the model totals it judged
// (aifl.office.v1.ModelTotals). The ledger is a normal one: a ledger_server
// serves it (gRPC Audit, tiles). Not thread-safe: one per process.
#ifndef COMPLIANCE_OFFICE_RECORDER_H_
#define COMPLIANCE_OFFICE_RECORDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/findings_recorder.h"
#include "compliance/signed_appender.h"
#include "ledger/ledger.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"

namespace compliance {

class OfficeRecorder {
 public:
  // Both keys must be enrolled and unrevoked in `ledger` (not owned) with
  // their roles; errors as SignedAppender::Create.
  static absl::StatusOr<std::unique_ptr<OfficeRecorder>> Create(
      ledger::Ledger* ledger, const std::string& rules_key_path,
      const std::string& office_key_path);

  // Each returns the first leaf index (0 when nothing was given).
  absl::StatusOr<uint64_t> RecordFindings(
      const std::vector<aifl::rules::v1::Finding>& findings);
  absl::StatusOr<uint64_t> RecordCheckpoint(
      const aifl::office::v1::FactoryCheckpoint& checkpoint);
  absl::StatusOr<uint64_t> RecordTotals(
      const std::vector<aifl::office::v1::ModelTotals>& totals);

 private:
  OfficeRecorder(std::unique_ptr<FindingsRecorder> findings,
                 std::unique_ptr<SignedAppender> office)
      : findings_(std::move(findings)), office_(std::move(office)) {}

  std::unique_ptr<FindingsRecorder> findings_;
  std::unique_ptr<SignedAppender> office_;
};

}  // namespace compliance

#endif  // COMPLIANCE_OFFICE_RECORDER_H_
