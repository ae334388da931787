// The default AI Act rule pack (rules/packs/ai_act_gpai_v1.textproto),
// compiled into every binary that links this library (a genrule turns the
// file into default_pack_text.cc), so installed binaries do not depend on a
// repository checkout or on their working directory. A pack file given on
// the command line still overrides it. Thread-safe.
#ifndef RULES_DEFAULT_PACK_H_
#define RULES_DEFAULT_PACK_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rules/rule_pack_loader.h"

namespace rules {

// The text of rules/packs/ai_act_gpai_v1.textproto as it was at build time,
// byte for byte.
absl::string_view DefaultRulePackText();

// `path` empty: the built-in pack, parsed and validated; otherwise
// LoadRulePackFile(path) (kNotFound when it cannot be read). kInvalidArgument
// for a pack that does not parse or validate.
absl::StatusOr<RulePack> LoadRulePack(const std::string& path);

// Where LoadRulePack(path) takes its pack from, for logs and --version:
// `path`, or "built-in rules/packs/ai_act_gpai_v1.textproto" when empty.
std::string RulePackSource(const std::string& path);

// The built-in pack's `version` field (e.g. "ai-act-gpai-v1.0"); "invalid"
// when it does not parse (a build that would fail every test).
std::string DefaultRulePackVersion();

}  // namespace rules

#endif  // RULES_DEFAULT_PACK_H_
