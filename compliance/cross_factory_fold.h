// The AI Office's fold over several factory logs: one compliance::LogFold per
// origin (the single-log fold, unchanged), and the global models built from
// them (global_model.h): each factory's state of a model is one share, kept
// apart with its origin, never folded twice. Cross-log lineage
// (ModelDeclaration.runs_at_other_logs) joins the model that holds a named
// run in another log to the declaring model when it is the same provider's
// (never a model whose provider is unknown); other references are kept as
// UnresolvedLineage (X3).
//
// Input: verified leaves (their exact bytes), per origin in order from leaf 0,
// from wherever they were fetched (the office monitor's mirror, a test).
// Each origin's key registry is replayed from its own leaves (admission
// replayed, signatures not re-verified: the caller verified them).
// Pure; not thread-safe: the owner serializes every call.
#ifndef COMPLIANCE_CROSS_FACTORY_FOLD_H_
#define COMPLIANCE_CROSS_FACTORY_FOLD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compliance/global_model.h"
#include "compliance/log_fold.h"
#include "ledger/leaf_replay.h"
#include "rules/model_state.h"

namespace compliance {

// One factory's part of a global model.
struct Share {
  std::string origin;
  const rules::ModelState* state = nullptr;  // owned by that origin's fold
};

// A named run that could not join the declaring model, and why.
struct UnresolvedLineage {
  std::string declared_at_origin;
  uint64_t declaration_leaf = 0;
  std::string origin;  // as named
  uint64_t leaf_index = 0;
  std::string why;  // e.g. "leaf 7 is not a RunStarted"
};

struct GlobalModel {
  GlobalModelKey key;
  std::vector<Share> shares;  // by origin, then model id
  // Named runs that could not join (the declaring model's).
  std::vector<UnresolvedLineage> unresolved;
  // The distinct origins of the shares, sorted: evidence ordinals.
  std::vector<std::string> Origins() const;
};

class CrossFactoryFold {
 public:
  // kInvalidArgument when the pack is not valid. `max_evidence_leaves`:
  // interval leaves each origin's fold keeps per model (LogFold::Create).
  static absl::StatusOr<std::unique_ptr<CrossFactoryFold>> Create(
      rules::RulePack pack, uint64_t max_evidence_leaves = 0);

  // Folds leaf `index` of the log `origin` (its exact verified bytes), which
  // must be that log's next leaf (0 for a new origin). Errors:
  // kInvalidArgument for an empty origin; kFailedPrecondition for another
  // index; kDataLoss for a leaf that does not parse or was not admissible
  // under the log's own registry (that log is then stopped: every later Add
  // for it returns the same error).
  absl::StatusOr<LogFold::Added> Add(const std::string& origin, uint64_t index,
                                     absl::string_view leaf_bytes);

  // The global models, by key. Shares point into the folds: valid until the
  // next Add.
  std::vector<GlobalModel> Models() const;

  // The origins followed, sorted; the fold of one (null when unknown).
  std::vector<std::string> origins() const;
  const LogFold* FoldOf(const std::string& origin) const;
  const ledger::KeyRegistry* RegistryOf(const std::string& origin) const;
  // The newest leaf of `origin` that named `state`'s model in a compute
  // fact (a RunStarted, IntervalReport or ModelDeclaration): when the
  // union's figures last moved because of that factory. leaf 0 at
  // InfinitePast when none.
  rules::DatedLeaf LastChangeOf(const std::string& origin,
                                const rules::ModelState* state) const;

 private:
  struct OriginLog {
    std::unique_ptr<ledger::LeafReplay> replay;
    std::unique_ptr<LogFold> fold;
    absl::flat_hash_map<uint64_t, std::string> run_at_leaf;  // RunStarted
    absl::flat_hash_map<const rules::ModelState*, rules::DatedLeaf> changed;
    absl::Status stopped;  // a replay failure: the log is not folded further
  };
  CrossFactoryFold(rules::RulePack pack, uint64_t max_evidence_leaves)
      : pack_(std::move(pack)), max_evidence_leaves_(max_evidence_leaves) {}
  absl::StatusOr<OriginLog*> LogFor(const std::string& origin, uint64_t index);
  static void NoteChange(const rules::LedgerEntry& e, OriginLog* log);

  rules::RulePack pack_;
  uint64_t max_evidence_leaves_ = 0;
  std::map<std::string, OriginLog> logs_;
};

}  // namespace compliance

#endif  // COMPLIANCE_CROSS_FACTORY_FOLD_H_
