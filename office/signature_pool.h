// SignaturePool: a fixed set of threads, started once, that verify batches
// of deferred envelope signatures (ledger::DeferredSignatures) in the order
// they were submitted, one signature at a time, every worker on the oldest
// batch not fully claimed. So no thread is made per batch, the workers
// never wait between two batches while one is queued, and the last
// signatures of a batch are shared between the workers instead of one
// worker finishing a slice alone (follow_bench: the monitor's follow rate,
// docs/PERFORMANCE.md, issue 18).
//
// A follower submits a batch per bundle (chunk_signatures.h) and later asks
// for its result: the failure of its lowest bad leaf, if any. One pool may
// serve several followers (the monitor's: one worker per core for every
// log); batches of different submitters are taken in submission order.
//
// Destroying the pool verifies what was submitted, then joins the workers.
//
// Thread-safe.
#ifndef OFFICE_SIGNATURE_POOL_H_
#define OFFICE_SIGNATURE_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ledger/leaf_replay.h"

namespace office {

class SignaturePool {
  struct Job;

 public:
  // A submitted batch. Movable; dropping it does not cancel the batch (see
  // Cancel).
  class Ticket {
   public:
    Ticket() = default;

   private:
    friend class SignaturePool;
    explicit Ticket(std::shared_ptr<Job> job) : job_(std::move(job)) {}
    std::shared_ptr<Job> job_;
  };

  // Starts `workers` threads (at least one).
  explicit SignaturePool(int workers);
  ~SignaturePool();
  SignaturePool(const SignaturePool&) = delete;
  SignaturePool& operator=(const SignaturePool&) = delete;

  int workers() const { return static_cast<int>(threads_.size()); }

  // Queues `batch` after every batch submitted before.
  Ticket Submit(ledger::DeferredSignatures batch);
  // True when every signature of the ticket's batch was verified (Wait
  // would not block). Never blocks.
  bool Ready(const Ticket& ticket) const;
  // Waits until the batch is verified; the failure of its lowest bad leaf,
  // if any.
  std::optional<ledger::LeafFailure> Wait(const Ticket& ticket);
  // Drops the signatures of the batch no worker has started, and waits for
  // those being verified: the batch no longer costs anything. Its result is
  // meaningless afterwards.
  void Cancel(const Ticket& ticket);

 private:
  struct Job {
    explicit Job(ledger::DeferredSignatures b) : batch(std::move(b)) {}
    const ledger::DeferredSignatures batch;
    size_t claimed = 0;  // signatures [0, claimed) were handed to a worker
    size_t done = 0;     // of those, verified (or cancelled)
    std::optional<ledger::LeafFailure> first_bad;  // lowest position
    size_t first_bad_position = 0;
    bool Finished() const { return done == batch.size(); }
  };

  void Work();
  // Records signature `position` of `job` verified as `bad`. REQUIRES: mu_.
  void Record(Job* job, size_t position,
              std::optional<ledger::LeafFailure> bad);

  mutable std::mutex mu_;
  std::condition_variable work_;            // a batch was queued, or stop_
  std::condition_variable finished_;        // a batch was finished
  std::deque<std::shared_ptr<Job>> queue_;  // not fully claimed, in order
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace office

#endif  // OFFICE_SIGNATURE_POOL_H_
