// Makes a caller whose signatures keep failing pay first (issue 14 item 4):
// each Submit entry refused with UNAUTHENTICATED (bad signature) costs its
// identity one token of a bucket (`burst` tokens, refilled at `per_second`;
// a large failing batch drives it into debt). While an identity has no
// token, its Submit calls are refused before any signature is verified, so a
// flood of invalid signatures costs the server almost nothing and leaves the
// verification threads to honest callers. Thread-safe.
#ifndef API_SERVER_BAD_SIGNATURE_BACKOFF_H_
#define API_SERVER_BAD_SIGNATURE_BACKOFF_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "api/server/token_bucket.h"
#include "common/clock.h"

namespace api::server {

class BadSignatureBackoff {
 public:
  struct Options {
    double burst = 100;             // failures tolerated at once
    double per_second = 10;         // failures forgiven per second
    size_t max_identities = 10000;  // beyond: full buckets are forgotten
  };

  // `clock` outlives this.
  BadSignatureBackoff(const common::Clock* clock, Options options);

  // OK, or kResourceExhausted ("… entries with bad signatures …; retry in N
  // s") while `identity` owes failures.
  absl::Status Admit(const std::string& identity);

  // Records `failures` (> 0) entries of `identity` whose signature failed.
  void RecordFailures(const std::string& identity, int failures);

  // Seconds until `identity` may submit again; 0 when it may now.
  double SecondsOwed(const std::string& identity);

 private:
  const common::Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, TokenBucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace api::server

#endif  // API_SERVER_BAD_SIGNATURE_BACKOFF_H_
