// Runs the AI Act rules engine inside the ledger server: folds every new
// entry as it is committed (incremental evaluation of the models it touched),
// re-evaluates every model periodically (deadlines pass without new
// entries), and appends the raised and cleared findings to the ledger as
// "aifl.rules.v1.Finding" entries signed by the server's rules key. The
// findings come back through the fold, so nothing is appended twice; after
// a restart the engine replays the log from leaf 0 and picks up where it was.
//
// Thread-safe: one background thread does all the work; RunOnce() is for
// tests and shares the same lock.
#ifndef API_SERVER_RULES_RUNNER_H_
#define API_SERVER_RULES_RUNNER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "rules/engine.h"

namespace api::server {

struct RulesRunnerOptions {
  // Secret key file of an enrolled ROLE_RULES key. Required.
  std::string rules_key_path;
  // The rule pack file (protobuf text). Default "": the pack built into
  // the binary (rules/default_pack.h).
  std::string pack_path;
  // How often new entries are folded and evaluated. Default: 1 s.
  absl::Duration interval = absl::Seconds(1);
  // How often every model is re-evaluated (deadlines). Default: 1 h.
  absl::Duration periodic = absl::Hours(1);
  // The evaluation clock (simulations inject a fake one). Not owned.
  // Default: the real clock.
  common::Clock* clock = nullptr;
  // Start the background thread. Default: true (tests call RunOnce).
  bool background = true;
};

class RulesRunner {
 public:
  // Loads the pack and the key (kPermissionDenied unless it is an enrolled,
  // unrevoked rules key of this ledger), then starts. `ledger` is not owned
  // and must outlive the runner.
  static absl::StatusOr<std::unique_ptr<RulesRunner>> Start(
      ledger::Ledger* ledger, RulesRunnerOptions options);
  ~RulesRunner();  // stops the thread

  // Folds what was committed since the last run, evaluates (all models when
  // `all`), appends the findings. Returns how many findings it appended.
  absl::StatusOr<size_t> RunOnce(bool all);

  uint64_t folded() const { return next_leaf_.load(); }
  // The `version` of the rule pack in use.
  const std::string& pack_version() const { return pack_version_; }

 private:
  RulesRunner(ledger::Ledger* ledger, RulesRunnerOptions options,
              std::unique_ptr<rules::Engine> engine,
              std::unique_ptr<ledger::EntrySigner> signer);
  void Loop();

  ledger::Ledger* const ledger_;
  const RulesRunnerOptions options_;
  common::Clock* const clock_;
  absl::Mutex mu_;
  std::unique_ptr<rules::Engine> engine_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<ledger::EntrySigner> signer_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> next_leaf_{0};
  absl::Time last_full_ = absl::InfinitePast();
  std::atomic<bool> stop_{false};
  std::string pack_version_;
  std::thread thread_;
};

}  // namespace api::server

#endif  // API_SERVER_RULES_RUNNER_H_
