// Records the AI Office's work in its own ledger (compliance/README.md, "The
// Office ledger"): findings signed by the Office's rules key (ROLE_RULES,
// aifl.rules.v1.Finding, through FindingsRecorder), and, signed by its
// office key (ROLE_OFFICE), each factory checkpoint it verified
// (aifl.office.v1.FactoryCheckpoint) and the model totals it judged
// (aifl.office.v1.ModelTotals). The ledger is a normal one: a ledger_server
// serves it (gRPC Audit, tiles), and the recorder appends through that
// server's ingest (entry_target.h) or, with no server, to a folder it holds.
// Not thread-safe: one per process.
#ifndef COMPLIANCE_OFFICE_RECORDER_H_
#define COMPLIANCE_OFFICE_RECORDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/entry_target.h"
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
  // The same through two targets (not owned; may be one): a server's
  // ingest takes each key from a client of its own TLS role (rules,
  // office: api/README.md, "Roles").
  static absl::StatusOr<std::unique_ptr<OfficeRecorder>> Create(
      EntryTarget* rules_target, const std::string& rules_key_path,
      EntryTarget* office_target, const std::string& office_key_path);

  // Each returns the first leaf index (0 when nothing was given). Entries
  // of an unanswered append are kept and sent first by the next call of the
  // same key, or by Flush (SignedAppender).
  absl::StatusOr<uint64_t> RecordFindings(
      const std::vector<aifl::rules::v1::Finding>& findings);
  absl::StatusOr<uint64_t> RecordCheckpoint(
      const aifl::office::v1::FactoryCheckpoint& checkpoint);
  absl::StatusOr<uint64_t> RecordTotals(
      const std::vector<aifl::office::v1::ModelTotals>& totals);

  // Sends what both keys kept from an unanswered append.
  absl::Status Flush();
  // Entries signed and not yet acknowledged.
  size_t pending() const;
  // The leaf index after the last entry acknowledged (0 before any).
  uint64_t appended_up_to() const;

 private:
  OfficeRecorder(std::unique_ptr<FindingsRecorder> findings,
                 std::unique_ptr<SignedAppender> office)
      : findings_(std::move(findings)), office_(std::move(office)) {}

  std::unique_ptr<FindingsRecorder> findings_;
  std::unique_ptr<SignedAppender> office_;
};

}  // namespace compliance

#endif  // COMPLIANCE_OFFICE_RECORDER_H_
