// Per-identity request rates for Submit (issue 14 item 4): each caller
// identity has a token bucket of calls and one of entries (envelopes). A call
// is admitted when its identity has a call token and as many entry tokens as
// the batch holds (at most the entry burst: a batch larger than the burst
// drives the bucket into debt rather than being refused forever). Refused
// calls cost nothing. One identity submitting as fast as it can then gets
// its rate and no more, and the verification threads stay free for others.
// Thread-safe.
#ifndef API_SERVER_IDENTITY_RATE_LIMITER_H_
#define API_SERVER_IDENTITY_RATE_LIMITER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "api/server/token_bucket.h"
#include "common/clock.h"

namespace api::server {

class IdentityRateLimiter {
 public:
  struct Options {
    double calls_per_second = 0;  // 0 = calls are not limited
    double call_burst = 0;
    double entries_per_second = 0;  // 0 = entries are not limited
    double entry_burst = 0;
    size_t max_identities = 10000;  // beyond: full buckets are forgotten
  };

  // `clock` outlives this. A burst below 1 is taken as 1.
  IdentityRateLimiter(const common::Clock* clock, Options options);

  // OK and the tokens taken, or kResourceExhausted ("Submit rate limit of N
  // calls/s (entries/s) per identity reached for \"x\"; retry in N s") with
  // nothing taken. `entries` >= 0.
  absl::Status Admit(const std::string& identity, int entries);

 private:
  struct Buckets {
    TokenBucket calls;
    TokenBucket entries;
  };

  const common::Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Buckets> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace api::server

#endif  // API_SERVER_IDENTITY_RATE_LIMITER_H_
