// One global model's state at the AI Office: the factories' shares of it
// (cross_factory_fold.h) combined into one rules::ModelState, so that the
// rules engine's own evaluator judges the union (thresholds on the summed
// ranges). Nothing is re-folded from payloads: the shares are the factories'
// folds, added up.
//
// Leaves in the merged state are (origin, leaf) pairs in one uint64: the
// share's origin ordinal (its position in GlobalModel::Origins()) in the top
// 24 bits, the leaf index in the low 40 (office_evidence.h OriginLeaf). A
// finding rendered from it carries such indices in its compact evidence; the
// Office adds the origin table (Finding.evidence_origins; ledger/FORMAT.md,
// "Payload semantics: Office finding evidence").
//
// How each part combines: sums for compute (each counter and purpose),
// energy, active runs and intervals; unions for runs, accounts and labels
// (keyed "<origin>/<name>": names are factory-local), leaves, documents,
// notifications, Office decisions and declarations (ordered by integration
// time: the newest declaration anywhere is the one in force); the earliest
// of the shares' dated facts (first market intent, systemic base, modifier
// crossing, each threshold crossing and forecast); the planned budget as the
// highs of the sum of every factory's latest budget. A crossing of the union
// that no share reached alone is added by the caller (office_state.h).
// Pure; thread-compatible.
#ifndef COMPLIANCE_MODEL_MERGE_H_
#define COMPLIANCE_MODEL_MERGE_H_

#include <cstdint>
#include <string>

#include "compliance/cross_factory_fold.h"
#include "compliance/office_evidence.h"
#include "rules/model_state.h"

namespace compliance {

// The union of `model`'s shares; model_id is model.key.Text().
rules::ModelState MergeShares(const GlobalModel& model);

}  // namespace compliance

#endif  // COMPLIANCE_MODEL_MERGE_H_
