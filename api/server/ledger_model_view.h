// ModelView over the ledger, and the server's one fold of its log: reads
// each new leaf once into a compliance::LogFold (per-model state through the
// rules engine, the findings recorded under aifl.rules.v1.Finding by a rules
// key, the leaves that are not evidence). The Audit service reads models and
// findings from it; the rules runner (rules_runner.h) evaluates the same
// fold through WithFold instead of folding the log a second time. Derived,
// in memory, rebuilt from leaf 0 when the server starts. It also keeps
// which provider owns which model and which leaves are about which model
// (model_ownership.h), so that a provider reads its own models only.
//
// Thread-safe. Lock order: mu_ → sub_mu_ → a subscriber's own locks (the
// rules runner's own lock comes before mu_).
#ifndef API_SERVER_LEDGER_MODEL_VIEW_H_
#define API_SERVER_LEDGER_MODEL_VIEW_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "api/server/model_ownership.h"
#include "api/server/model_view.h"
#include "compliance/log_fold.h"
#include "ledger/ledger.h"

namespace api::server {

class LedgerModelView final : public ModelView {
 public:
  // Folds with the rule pack at `rules_pack_path` ("" = the pack built into
  // the binary): the rules runner evaluates this fold, so it must be the
  // runner's pack. Errors as rules::LoadRulePack (kNotFound,
  // kInvalidArgument). `ledger` is not owned and must outlive the view.
  static absl::StatusOr<std::unique_ptr<LedgerModelView>> Create(
      const ledger::Ledger* ledger, const std::string& rules_pack_path);

  absl::Status CatchUp() override;
  absl::StatusOr<aifl::api::v1::ListModelsResponse> ListModels(
      const ReadScope& scope, uint32_t page_size,
      const std::string& page_token) override;
  absl::StatusOr<aifl::api::v1::ModelDetail> GetModel(
      const ReadScope& scope, const std::string& model_id) override;
  absl::Status CheckLeavesInScope(const ReadScope& scope, uint64_t first,
                                  uint64_t count) override;
  std::vector<aifl::api::v1::RecordedFinding> Findings(
      const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
      uint64_t* next_leaf) override;
  uint64_t Subscribe(const ReadScope& scope, FindingSink sink) override;
  void Unsubscribe(uint64_t id) override;

  // CatchUp, then `fn` on the caught-up fold, under the view's lock (Audit
  // calls wait meanwhile). The rules runner evaluates here. Returns
  // CatchUp's error (then `fn` is not called).
  absl::Status WithFold(const std::function<void(compliance::LogFold&)>& fn);

  // The `version` of the rule pack the fold uses.
  const std::string& pack_version() const { return pack_version_; }

 private:
  LedgerModelView(const ledger::Ledger* ledger,
                  std::unique_ptr<compliance::LogFold> fold);
  absl::Status CatchUpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Logs (the first few) leaves the fold skipped.
  void Report(uint64_t index, const compliance::LogFold::Added& added)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The principal of the provider key that signed folded `leaf` ("" for
  // other roles): whose entry it is (model_ownership.h).
  std::string ProviderSigner(absl::string_view leaf) const;
  // True when `model_id` (any alias) is in `scope`.
  bool InScope(const ReadScope& scope, const std::string& model_id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ledger::Ledger* const ledger_;
  const std::string pack_version_;
  absl::Mutex mu_;
  std::unique_ptr<compliance::LogFold> fold_ ABSL_GUARDED_BY(mu_);
  size_t fold_errors_ ABSL_GUARDED_BY(mu_) = 0;
  size_t not_evidence_logged_ ABSL_GUARDED_BY(mu_) = 0;
  ModelOwnership ownership_ ABSL_GUARDED_BY(mu_);

  absl::Mutex sub_mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(sub_mu_) = 1;
  struct Subscriber {
    ReadScope scope;
    FindingSink sink;
  };
  std::map<uint64_t, Subscriber> sinks_ ABSL_GUARDED_BY(sub_mu_);
};

}  // namespace api::server

#endif  // API_SERVER_LEDGER_MODEL_VIEW_H_
