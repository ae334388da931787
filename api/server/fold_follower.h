// FoldFollower: runs the server's fold upkeep (LedgerModelView::CatchUp, then
// the memory trimmer) on its own thread, woken after each checkpoint tick.
// It used to run on the checkpoint publisher's thread, where a large fold
// (a burst of model-state updates) delayed the next publication and with it
// every receipt waiting for a checkpoint: a 180 ms p99 receipt outlier
// (issue 21). The publisher now only Kick()s, which never waits.
//
// Kicks coalesce: however many arrive while `work` runs, it runs once more
// afterwards. The model view stays correct without it: every Audit read
// catches the fold up itself first; this keeps WatchFindings subscribers
// and the memory trimmer going between reads.
//
// Thread-safe. The destructor lets a running `work` finish and joins.
#ifndef API_SERVER_FOLD_FOLLOWER_H_
#define API_SERVER_FOLD_FOLLOWER_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace api::server {

class FoldFollower {
 public:
  // Starts the thread; `work` runs on it after each Kick().
  explicit FoldFollower(std::function<void()> work);
  ~FoldFollower();
  FoldFollower(const FoldFollower&) = delete;
  FoldFollower& operator=(const FoldFollower&) = delete;

  // Asks for one more run of `work`; returns at once.
  void Kick();

  // Runs of `work` finished so far (for tests and metrics).
  uint64_t runs() const;

 private:
  void Loop();

  const std::function<void()> work_;
  mutable absl::Mutex mu_;
  bool kicked_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t runs_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace api::server

#endif  // API_SERVER_FOLD_FOLLOWER_H_
