// The AI Office's cross-factory rules: what only the union of several
// factory logs shows, beside the rule pack the Office runs on each global
// model's merged state (office_state.h). Pure; thread-compatible.
//
//   X1 possible split (WARNING, AI Safety): one provider's distinct global
//      models, with runs at different factories whose measured periods
//      overlap, together over the threshold (lower bounds of their combined
//      cumulative compute summed) while no declaration links them
//      (ModelDeclaration.runs_at_other_logs, or the same model id). One
//      finding per group, on its model with the most compute (combined
//      cumulative lower bound, then upper bound); on a tie, on the smallest
//      key (provider, origin, model id): never on the order of folding.
//   X2 contradicting declarations (WARNING, Regulation and Compliance): the
//      declarations in force at two factories for one global model disagree
//      on a fact both declare (declared compute is left to D1/D2 on the
//      union).
//   X3 unresolved lineage (WARNING, Regulation and Compliance): a
//      declaration names a run at another log that cannot join the model
//      (log not followed, no such run, another provider's run, a run of a
//      model whose provider is unknown: only the same provider's model
//      joins, cross_factory_fold.h).
//   X4 factory log stopped (VIOLATION, Regulation and Compliance): the
//      Office monitor stopped following a factory's log (a fork, a
//      rollback, a tile or an entry that fails verification; office/
//      log_incident.h), or a factory's index output log whose update does
//      not replay (index_mismatch: the reason names the log indexed). Not a
//      model's finding: model_id and provider are empty, evidence_origins names
//      the factory's origin, the figure "verified_size at <origin>" the size it
//      was stopped at (entries below it stay verified and counted). Raised once
//      per stopped log.
// Findings carry (origin, leaf) evidence (Finding.evidence_origins) and the
// provider (Finding.provider).
#ifndef COMPLIANCE_OFFICE_RULES_H_
#define COMPLIANCE_OFFICE_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "compliance/cross_factory_fold.h"
#include "rules/model_state.h"
#include "schema/findings.pb.h"

namespace compliance {

inline constexpr char kOfficeRulesVersion[] = "aifl-office-xfactory-v1";

struct OfficeRuleOptions {
  // X1: cumulative compute of the group over this (Art. 51(2)) = warning.
  double split_threshold_flop = 1e25;
  // Interval leaves each factory's fold keeps per model
  // (rules::FoldOptions::max_evidence_leaves; 0: all): what bounds the
  // Office's memory instead of the entries followed.
  uint64_t max_evidence_leaves = 0;
};

// A global model with its merged state (model_merge.h).
struct MergedModel {
  const GlobalModel* model = nullptr;
  rules::ModelState merged;
};

// Every X finding currently raised, by model key then rule id.
std::vector<aifl::rules::v1::Finding> CrossFactoryFindings(
    const std::vector<MergedModel>& models, const OfficeRuleOptions& options,
    absl::Time now);

inline constexpr char kLogStoppedRule[] = "X4";

// The X4 finding for a factory log the monitor stopped at `verified_size`
// (`kind`: fork, rollback, bad_tile, bad_entry or index_mismatch; `reason`:
// why).
aifl::rules::v1::Finding LogStoppedFinding(const std::string& origin,
                                           uint64_t verified_size,
                                           const std::string& kind,
                                           const std::string& reason,
                                           absl::Time detected);

// The fields two declarations both declare and disagree on, e.g.
// {"provider_country", "modalities"}; empty when they agree.
std::vector<std::string> ContradictingFields(
    const aifl::provider::v1::ModelDeclaration& a,
    const aifl::provider::v1::ModelDeclaration& b);

}  // namespace compliance

#endif  // COMPLIANCE_OFFICE_RULES_H_
