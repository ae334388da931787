#include "tools/ledgerctl/finding_format.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace ledgerctl {

namespace rules_v1 = ::aifl::rules::v1;

absl::StatusOr<rules_v1::Unit> ParseUnit(const std::string& name) {
  if (name.empty()) return rules_v1::UNIT_UNSPECIFIED;
  if (name == "safety") return rules_v1::AI_SAFETY;
  if (name == "compliance") return rules_v1::REGULATION_AND_COMPLIANCE;
  return absl::InvalidArgumentError(
      absl::StrCat("--unit: got \"", name, "\", want safety or compliance"));
}

std::string UnitName(rules_v1::Unit unit) {
  switch (unit) {
    case rules_v1::AI_SAFETY:
      return "safety";
    case rules_v1::REGULATION_AND_COMPLIANCE:
      return "compliance";
    default:
      return "-";
  }
}

std::string FindingLine(const aifl::api::v1::RecordedFinding& r) {
  const rules_v1::Finding& f = r.finding();
  return absl::StrCat(
      "leaf ", r.leaf_index(), "  ", rules_v1::FindingState_Name(f.state()),
      "  ", rules_v1::Severity_Name(f.severity()), "  ", UnitName(f.unit()),
      "  ", f.model_id(), "  ", f.rule_id(), ": ", f.title(), " - ",
      f.message(), " [", f.citation(), "]\n");
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // A well-formed message always converts; an error leaves "{}".
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok())
    return "{}";
  return json;
}

}  // namespace ledgerctl
