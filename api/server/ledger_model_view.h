// ModelView over the ledger: reads each new leaf once, folds collector,
// provider and office entries into per-model state (rules::ModelStateFold)
// and records the findings the rules engine appended (payload type
// aifl.rules.v1.Finding, signed by a rules key). Derived, in memory, rebuilt
// from leaf 0 when the server starts.
//
// Thread-safe. Lock order: mu_ → sub_mu_ → a subscriber's own locks.
#ifndef API_SERVER_LEDGER_MODEL_VIEW_H_
#define API_SERVER_LEDGER_MODEL_VIEW_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "api/server/model_view.h"
#include "ledger/ledger.h"
#include "rules/model_state_fold.h"

namespace api::server {

inline constexpr absl::string_view kFindingType = "aifl.rules.v1.Finding";

class LedgerModelView final : public ModelView {
 public:
  // `ledger` is not owned and must outlive the view.
  explicit LedgerModelView(const ledger::Ledger* ledger);

  absl::Status CatchUp() override;
  absl::StatusOr<aifl::api::v1::ListModelsResponse> ListModels(
      uint32_t page_size, const std::string& page_token) override;
  absl::StatusOr<aifl::api::v1::ModelDetail> GetModel(
      const std::string& model_id) override;
  std::vector<aifl::api::v1::RecordedFinding> Findings(
      const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
      uint64_t* next_leaf) override;
  uint64_t Subscribe(FindingSink sink) override;
  void Unsubscribe(uint64_t id) override;

 private:
  void Fold(uint64_t index, const std::string& leaf_bytes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  aifl::api::v1::ModelSummary Summary(const rules::ModelState& state) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const ledger::Ledger* const ledger_;
  absl::Mutex mu_;
  uint64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  rules::ModelStateFold fold_ ABSL_GUARDED_BY(mu_);
  std::vector<aifl::api::v1::RecordedFinding> findings_ ABSL_GUARDED_BY(mu_);
  // model id → rule id → raised (true) or cleared (false), latest wins.
  std::map<std::string, std::map<std::string, bool>> open_ ABSL_GUARDED_BY(mu_);
  size_t fold_errors_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Mutex sub_mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(sub_mu_) = 1;
  std::map<uint64_t, FindingSink> sinks_ ABSL_GUARDED_BY(sub_mu_);
};

}  // namespace api::server

#endif  // API_SERVER_LEDGER_MODEL_VIEW_H_
