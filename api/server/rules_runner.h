// Runs the AI Act rules engine inside the ledger server: evaluates the
// server's one fold of the log (LedgerModelView::WithFold: the models the
// new entries touched, and every model periodically, as deadlines pass
// without new entries), and records the raised and cleared findings with
// compliance::FindingsRecorder (aifl.rules.v1.Finding entries signed by the
// server's rules key). The findings come back through the fold, so nothing
// is appended twice; after a restart the fold replays the log from leaf 0
// and the runner picks up where it was.
//
// With the server's hosted index (RulesRunnerOptions::index), each finding
// it records about a model carries the citation of that model's index
// entry as of the fold's size, the input size the findings were computed
// at (Finding.index_citation; ledger/FORMAT.md, "Payload semantics: index
// citation"): the bounded, complete form of its evidence. A finding is
// recorded without one (and the reason logged) when the index cannot cite
// yet (it is catching up).
//
// Thread-safe: one background thread does all the work; RunOnce() is for
// tests and shares the same lock (taken before the view's).
#ifndef API_SERVER_RULES_RUNNER_H_
#define API_SERVER_RULES_RUNNER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "api/index/index_host.h"
#include "api/server/ledger_model_view.h"
#include "common/clock.h"
#include "compliance/findings_recorder.h"
#include "ledger/ledger.h"

namespace api::server {

struct RulesRunnerOptions {
  // Secret key file of an enrolled ROLE_RULES key. Required.
  std::string rules_key_path;
  // How often new entries are folded and evaluated. Default: 1 s.
  absl::Duration interval = absl::Seconds(1);
  // How often every model is re-evaluated (deadlines). Default: 1 h.
  absl::Duration periodic = absl::Hours(1);
  // The evaluation clock (simulations inject a fake one). Not owned.
  // Default: the real clock.
  common::Clock* clock = nullptr;
  // The server's hosted index (ledger_server --index_dir), whose citations
  // the findings carry. Not owned; must outlive the runner. Default: none
  // (findings without a citation).
  api::index::IndexHost* index = nullptr;
  // Start the background thread. Default: true (tests call RunOnce).
  bool background = true;
};

class RulesRunner {
 public:
  // Checks the key (kPermissionDenied unless it is an enrolled, unrevoked
  // rules key of this ledger), then starts. The rule pack is the view's
  // (LedgerModelView::Create). `ledger` and `view` (the view over that
  // ledger) are not owned and must outlive the runner.
  static absl::StatusOr<std::unique_ptr<RulesRunner>> Start(
      ledger::Ledger* ledger, LedgerModelView* view,
      RulesRunnerOptions options);
  ~RulesRunner();  // stops the thread

  // Folds what was committed since the last fold, evaluates (all models
  // when `all`), appends the findings. Returns how many findings it
  // appended.
  absl::StatusOr<size_t> RunOnce(bool all);

 private:
  RulesRunner(LedgerModelView* view, RulesRunnerOptions options,
              std::unique_ptr<compliance::FindingsRecorder> recorder);
  void Loop();
  // Sets each finding's index citation as of `input_size` (clears it when
  // there is no index or it cannot cite: a copied one would be stale).
  void Cite(uint64_t input_size,
            std::vector<aifl::rules::v1::Finding>* findings);

  LedgerModelView* const view_;
  const RulesRunnerOptions options_;
  common::Clock* const clock_;
  absl::Mutex mu_;
  std::unique_ptr<compliance::FindingsRecorder> recorder_ ABSL_GUARDED_BY(mu_);
  absl::Time last_full_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace api::server

#endif  // API_SERVER_RULES_RUNNER_H_
