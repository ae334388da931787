#include "compliance/office_recorder.h"

#include <algorithm>
#include <utility>

#include "common/status_macros.h"
#include "rules/payload_types.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<OfficeRecorder>> OfficeRecorder::Create(
    ledger::Ledger* ledger, const std::string& rules_key_path,
    const std::string& office_key_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<FindingsRecorder> findings,
                   FindingsRecorder::Create(ledger, rules_key_path));
  ASSIGN_OR_RETURN(std::unique_ptr<SignedAppender> office,
                   SignedAppender::Create(ledger, office_key_path,
                                          aifl::ledger::v1::ROLE_OFFICE));
  return std::unique_ptr<OfficeRecorder>(
      new OfficeRecorder(std::move(findings), std::move(office)));
}

absl::StatusOr<std::unique_ptr<OfficeRecorder>> OfficeRecorder::Create(
    EntryTarget* rules_target, const std::string& rules_key_path,
    EntryTarget* office_target, const std::string& office_key_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<FindingsRecorder> findings,
                   FindingsRecorder::Create(rules_target, rules_key_path));
  ASSIGN_OR_RETURN(std::unique_ptr<SignedAppender> office,
                   SignedAppender::Create(office_target, office_key_path,
                                          aifl::ledger::v1::ROLE_OFFICE));
  return std::unique_ptr<OfficeRecorder>(
      new OfficeRecorder(std::move(findings), std::move(office)));
}

absl::Status OfficeRecorder::Flush() {
  RETURN_IF_ERROR(findings_->appender().Flush());
  return office_->Flush();
}

size_t OfficeRecorder::pending() const {
  return findings_->appender().pending() + office_->pending();
}

uint64_t OfficeRecorder::appended_up_to() const {
  return std::max(findings_->appender().appended_up_to(),
                  office_->appended_up_to());
}

absl::StatusOr<uint64_t> OfficeRecorder::RecordFindings(
    const std::vector<aifl::rules::v1::Finding>& findings) {
  return findings_->Record(findings);
}

absl::StatusOr<uint64_t> OfficeRecorder::RecordCheckpoint(
    const aifl::office::v1::FactoryCheckpoint& checkpoint) {
  return office_->Append(rules::kFactoryCheckpointType,
                         {checkpoint.SerializeAsString()},
                         "factory checkpoint");
}

absl::StatusOr<uint64_t> OfficeRecorder::RecordTotals(
    const std::vector<aifl::office::v1::ModelTotals>& totals) {
  std::vector<std::string> payloads;
  payloads.reserve(totals.size());
  for (const aifl::office::v1::ModelTotals& t : totals) {
    payloads.push_back(t.SerializeAsString());
  }
  return office_->Append(rules::kModelTotalsType, payloads, "model totals");
}

}  // namespace compliance
