// Time as an injected dependency. Only main() picks RealClock; tests use
// FakeClock so deadline logic (a 14-day notification period) and integration
// times are reproducible. Thread-safe.
#ifndef COMMON_CLOCK_H_
#define COMMON_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace common {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Implementations need not be monotonic: callers that
  // require non-decreasing times (the ledger's integration time) enforce it.
  virtual absl::Time Now() const = 0;
};

// The system's wall clock.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance; never destroyed.
  static RealClock* Get();
};

// A clock that moves only when told to. For tests and simulations.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace common

#endif  // COMMON_CLOCK_H_
