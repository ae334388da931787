// Three-valued facts about one model (rules/rule_pack.proto `Fact`): read
// from its declarations and AI Office decisions, or defined by the pack's
// rules as they are evaluated. Unknown means information is missing; each
// unknown fact carries a sentence saying what is missing. Pure value type.
#ifndef RULES_FACTS_H_
#define RULES_FACTS_H_

#include <array>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "rules/model_state.h"
#include "rules/rule_pack.pb.h"

namespace rules {

enum class Tri { kFalse, kTrue, kUnknown };

// Kleene logic.
inline Tri And(Tri a, Tri b) {
  if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kTrue;
}
inline Tri Or(Tri a, Tri b) {
  if (a == Tri::kTrue || b == Tri::kTrue) return Tri::kTrue;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kFalse;
}
inline Tri Not(Tri a) {
  return a == Tri::kUnknown ? a : (a == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}

class FactTable {
 public:
  using Fact = aifl::rules::pack::v1::Fact;
  static constexpr int kFactCount = 14;

  // Reads the declared facts: each is unknown when the declaration in force
  // does not state it (proto3 `optional` absent), never false. Derived facts
  // (GPAI, SYSTEMIC_RISK, MODIFIER_IS_PROVIDER,
  // PRESUMED_SYSTEMIC_MODIFICATION) start false until rules define them.
  // `state` must outlive the table.
  explicit FactTable(const ModelState& state);

  // The fact's value. Accepted rebuttals and the latest designation override
  // what the rules derived (GPAI, SYSTEMIC_RISK); OPEN_SOURCE_EXEMPT is the
  // licence conditions and not SYSTEMIC_RISK; DECLARANT_IS_PROVIDER is
  // not IS_MODIFICATION, or MODIFIER_IS_PROVIDER.
  Tri Get(Fact f) const;
  // Why the fact is unknown ("" when known).
  std::string WhyUnknown(Fact f) const;
  // Leaves behind the fact's value (declaration, decision), possibly empty.
  std::vector<uint64_t> Evidence(Fact f) const;

  // Or-accumulates a rule's outcome into a derived fact. When the fact
  // becomes unknown, why = "<rule_id>: <why>" (built only then).
  void Define(Fact f, Tri value, absl::string_view rule_id,
              absl::string_view why);

 private:
  void ReadDeclaration(const aifl::provider::v1::ModelDeclaration& d);
  // ReadDeclaration's parts: output modality, establishment and EU market;
  // modification of a base model; the Art. 53(2) licence terms.
  void ReadMarketFacts(const aifl::provider::v1::ModelDeclaration& d);
  void ReadModificationFacts(const aifl::provider::v1::ModelDeclaration& d);
  void ReadLicence(const aifl::provider::v1::ModelDeclaration& d);
  void SetDeclared(Fact f, bool has, bool value, const char* why);

  const ModelState& state_;
  std::array<Tri, kFactCount> value_;
  std::array<std::string, kFactCount> why_;
  Tri licence_ok_ = Tri::kUnknown;
  std::string licence_why_;
  // Overrides from AI Office decisions: -1 none, else leaf index in state.
  const OfficeDecision* gpai_override_ = nullptr;
  const OfficeDecision* systemic_override_ = nullptr;
};

}  // namespace rules

#endif  // RULES_FACTS_H_
