// Threads for handler work that blocks: Submit's signature checks and its
// wait for the durable group commit. gRPC's callback handlers run on the
// library's own few threads; a handler that waits for fsync there stalls
// every other call (proof queries, health checks) behind it and caps how many
// Submit batches can be verified at once. Handlers hand such work here and
// return their reactor at once.
//
// Thread-safe. Bounded: when `max_queued` tasks wait, TrySchedule refuses and
// the handler answers UNAVAILABLE (clients retry with backoff) instead of
// holding an unbounded number of requests in memory.
#ifndef API_SERVER_BLOCKING_WORK_POOL_H_
#define API_SERVER_BLOCKING_WORK_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace api::server {

class BlockingWorkPool {
 public:
  BlockingWorkPool(int threads, size_t max_queued);
  // Runs every task already queued, then joins the threads.
  ~BlockingWorkPool();

  BlockingWorkPool(const BlockingWorkPool&) = delete;
  BlockingWorkPool& operator=(const BlockingWorkPool&) = delete;

  // Queues `task`; false (and `task` dropped unrun) when `max_queued` tasks
  // are already waiting or the pool is being destroyed.
  bool TrySchedule(std::function<void()> task);

  // Tasks waiting for a thread (not those running).
  size_t queued() const;

 private:
  void Work();

  const size_t max_queued_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace api::server

#endif  // API_SERVER_BLOCKING_WORK_POOL_H_
