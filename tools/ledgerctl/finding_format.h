// How ledgerctl prints models' facts and recorded findings. Pure.
#ifndef TOOLS_LEDGERCTL_FINDING_FORMAT_H_
#define TOOLS_LEDGERCTL_FINDING_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "api/v1/ledger_service.pb.h"

namespace ledgerctl {

// "safety" → AI_SAFETY, "compliance" → REGULATION_AND_COMPLIANCE, "" →
// UNIT_UNSPECIFIED; kInvalidArgument otherwise.
absl::StatusOr<aifl::rules::v1::Unit> ParseUnit(const std::string& name);
// "safety", "compliance" or "-".
std::string UnitName(aifl::rules::v1::Unit unit);

// One line (with "\n"): leaf, state, severity, unit, model, rule, title,
// message and citation.
std::string FindingLine(const aifl::api::v1::RecordedFinding& f);

// The message as one line of JSON (protobuf's JSON mapping), no newline.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_FINDING_FORMAT_H_
