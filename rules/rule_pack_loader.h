// Loading and validating a rule pack (rules/rule_pack.proto, text format).
// Validation runs on every load, so a pack that parses but cannot be
// evaluated is refused with a message naming the rule and the field.
#ifndef RULES_RULE_PACK_LOADER_H_
#define RULES_RULE_PACK_LOADER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rules/rule_pack.pb.h"

namespace rules {

using RulePack = aifl::rules::pack::v1::RulePack;

// Parses `text` (protobuf text format) and validates it.
// kInvalidArgument: a syntax error (with line and column) or a failed check.
absl::StatusOr<RulePack> ParseRulePack(absl::string_view text);

// Reads and parses the file at `path`. kNotFound when it cannot be read.
absl::StatusOr<RulePack> LoadRulePackFile(const std::string& path);

// Checks, each failure as kInvalidArgument "rule <id>: <field>: got X, want Y":
//   version set; at least one rule; ids unique and non-empty; title,
//   citation, fact_status, unit, severity and a condition set; thresholds,
//   ratios and periods positive; dates "YYYY-MM-DD"; a grace period with both
//   dates; `defines` only derived facts (GPAI, SYSTEMIC_RISK,
//   MODIFIER_IS_PROVIDER, PRESUMED_SYSTEMIC_MODIFICATION); a rule reading a
//   derived fact placed after every rule that defines it (OPEN_SOURCE_EXEMPT
//   reads SYSTEMIC_RISK; DECLARANT_IS_PROVIDER, cumulative-compute
//   thresholds and notifications read MODIFIER_IS_PROVIDER; a
//   presumed_systemic_triggers notification reads
//   PRESUMED_SYSTEMIC_MODIFICATION); holiday years listed once, with a
//   source, each day a YYYY-MM-DD within its year.
absl::Status ValidateRulePack(const RulePack& pack);

}  // namespace rules

#endif  // RULES_RULE_PACK_LOADER_H_
