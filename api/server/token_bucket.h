// A token bucket over an injected time: `burst` tokens, refilled at
// `per_second`. Not thread-safe (its owner locks).
#ifndef API_SERVER_TOKEN_BUCKET_H_
#define API_SERVER_TOKEN_BUCKET_H_

#include <algorithm>

#include "absl/time/time.h"

namespace api::server {

class TokenBucket {
 public:
  TokenBucket(double burst, double per_second, absl::Time now)
      : burst_(burst), per_second_(per_second), tokens_(burst), last_(now) {}

  // Takes `cost` tokens if there are that many at `now`; false otherwise.
  bool TryTake(absl::Time now, double cost = 1) {
    Refill(now);
    if (tokens_ < cost) return false;
    tokens_ -= cost;
    return true;
  }
  // Takes `cost` tokens even when that leaves the bucket in debt.
  void Charge(absl::Time now, double cost) {
    Refill(now);
    tokens_ -= cost;
  }
  // Whether at least `n` tokens are there at `now`.
  bool HasToken(absl::Time now, double n = 1) {
    Refill(now);
    return tokens_ >= n;
  }
  // Whether the bucket is full at `now` (nothing owed).
  bool Full(absl::Time now) const {
    return tokens_ + Elapsed(now) * per_second_ >= burst_;
  }
  // Seconds until `n` tokens are there (0 when they are).
  double SecondsUntilToken(absl::Time now, double n = 1) {
    Refill(now);
    return tokens_ >= n ? 0 : (n - tokens_) / per_second_;
  }

 private:
  double Elapsed(absl::Time now) const {
    return std::max(0.0, absl::ToDoubleSeconds(now - last_));
  }
  void Refill(absl::Time now) {
    tokens_ = std::min(burst_, tokens_ + Elapsed(now) * per_second_);
    if (now > last_) last_ = now;
  }

  double burst_;
  double per_second_;
  double tokens_;
  absl::Time last_;
};

}  // namespace api::server

#endif  // API_SERVER_TOKEN_BUCKET_H_
