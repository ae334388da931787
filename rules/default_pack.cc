#include "rules/default_pack.h"

#include <cstddef>

namespace rules {

// Defined in the generated default_pack_text.cc (see rules/BUILD.bazel).
extern const char kDefaultRulePackText[];
extern const size_t kDefaultRulePackSize;

absl::string_view DefaultRulePackText() {
  return absl::string_view(kDefaultRulePackText, kDefaultRulePackSize);
}

absl::StatusOr<RulePack> LoadRulePack(const std::string& path) {
  if (!path.empty()) return LoadRulePackFile(path);
  return ParseRulePack(DefaultRulePackText());
}

std::string RulePackSource(const std::string& path) {
  return path.empty() ? "built-in rules/packs/ai_act_gpai_v1.textproto" : path;
}

std::string DefaultRulePackVersion() {
  absl::StatusOr<RulePack> pack = ParseRulePack(DefaultRulePackText());
  return pack.ok() ? pack->version() : "invalid";
}

}  // namespace rules
