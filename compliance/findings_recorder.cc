#include "compliance/findings_recorder.h"

#include <utility>

#include "common/status_macros.h"
#include "rules/payload_types.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<FindingsRecorder>> FindingsRecorder::Create(
    ledger::Ledger* ledger, const std::string& rules_key_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<SignedAppender> appender,
                   SignedAppender::Create(ledger, rules_key_path,
                                          aifl::ledger::v1::ROLE_RULES));
  return std::unique_ptr<FindingsRecorder>(
      new FindingsRecorder(std::move(appender)));
}

absl::StatusOr<std::unique_ptr<FindingsRecorder>> FindingsRecorder::Create(
    EntryTarget* target, const std::string& rules_key_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<SignedAppender> appender,
                   SignedAppender::Create(target, rules_key_path,
                                          aifl::ledger::v1::ROLE_RULES));
  return std::unique_ptr<FindingsRecorder>(
      new FindingsRecorder(std::move(appender)));
}

FindingsRecorder::FindingsRecorder(std::unique_ptr<SignedAppender> appender)
    : appender_(std::move(appender)) {}

absl::StatusOr<uint64_t> FindingsRecorder::Record(
    const std::vector<aifl::rules::v1::Finding>& findings) {
  std::vector<std::string> payloads;
  payloads.reserve(findings.size());
  for (const aifl::rules::v1::Finding& f : findings) {
    payloads.push_back(f.SerializeAsString());
  }
  return appender_->Append(rules::kFindingType, payloads, "finding");
}

}  // namespace compliance
