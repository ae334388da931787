// Publishes a checkpoint every interval (when the tree grew) on its own
// thread, answers "tell me when a checkpoint covers N entries" without
// blocking the caller's thread, and keeps the figures the status reports
// (last checkpoint time, ingest rate over the last minute).
//
// Thread-safe. Stop() publishes a final checkpoint and fails the waiters
// still pending with kUnavailable.
#ifndef API_SERVER_CHECKPOINT_PUBLISHER_H_
#define API_SERVER_CHECKPOINT_PUBLISHER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "ledger/ledger.h"

namespace api::server {

class CheckpointPublisher {
 public:
  // Not owned; both must outlive the publisher. `clock` dates the status
  // figures; the waiters' deadlines are real time (gRPC deadlines are).
  CheckpointPublisher(ledger::Ledger* ledger, common::Clock* clock,
                      absl::Duration interval);
  ~CheckpointPublisher();  // Stop()s

  // Starts the thread. Calls after Stop() do nothing.
  void Start();
  // Publishes now (if the tree grew) and answers the waiters it satisfies.
  // Called by a hook after each tick too (see set_after_tick).
  absl::Status PublishNow();
  // Stops the thread, publishes a final checkpoint, fails pending waiters.
  // Returns the final publish status. Idempotent.
  absl::Status Stop();

  // Calls `done` once, on some thread, with OK when the latest checkpoint
  // covers at least `size` entries, kDeadlineExceeded after `deadline`, or
  // kUnavailable when the publisher stops. May call it before returning.
  void WhenCovered(uint64_t size, absl::Time deadline,
                   std::function<void(absl::Status)> done);

  // Run on the publisher thread after every tick (e.g. refresh the findings
  // view). Set before Start().
  void set_after_tick(std::function<void()> hook) {
    after_tick_ = std::move(hook);
  }

  // Run on the publisher's thread with each new checkpoint note it signed,
  // before the waiters are answered (the witnesses' round: it must return
  // within a bounded time). Set before Start().
  void set_after_publish(std::function<void(const std::string& note)> hook) {
    after_publish_ = std::move(hook);
  }
  // The size waiters may rely on instead of the latest checkpoint's (the
  // witness quorum's), and what to tell a waiter whose deadline passed
  // before it covered its size. Set before Start().
  void set_cover(std::function<uint64_t()> covered,
                 std::function<std::string(uint64_t size)> why_not) {
    cover_ = std::move(covered);
    why_not_ = std::move(why_not);
  }

  // Seconds since a checkpoint was last published by this publisher (or
  // since it was made, before the first).
  double CheckpointAgeSeconds() const;
  // Entries appended per second over the last minute of ticks.
  double IngestRate() const;

 private:
  struct Waiter {
    uint64_t size;
    absl::Time deadline;
    std::function<void(absl::Status)> done;
  };
  void Run();
  void Sample();
  // OK when the size waiters may rely on covers `size`; the error otherwise.
  absl::Status Answer(uint64_t size) const;

  ledger::Ledger* const ledger_;
  common::Clock* const clock_;
  const absl::Duration interval_;
  std::function<void()> after_tick_;
  std::function<void(const std::string&)> after_publish_;
  std::function<uint64_t()> cover_;
  std::function<std::string(uint64_t)> why_not_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status final_status_ ABSL_GUARDED_BY(mu_);
  uint64_t covered_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_publish_ ABSL_GUARDED_BY(mu_);
  std::vector<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<absl::Time, uint64_t>> samples_ ABSL_GUARDED_BY(mu_);
  absl::Mutex publish_mu_;  // one publish at a time
};

}  // namespace api::server

#endif  // API_SERVER_CHECKPOINT_PUBLISHER_H_
