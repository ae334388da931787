// Refusals the operator should see (UNAUTHENTICATED and PERMISSION_DENIED
// calls, refused Submit entries), logged through LogEvent as
//   {"event":"refused","identity":…,"role":…,"method":…,"code":…,
//    "message":…,"peer":…,"suppressed":"N"}
// and rate-limited by a token bucket per (identity, code): a flood from one
// certificate (or, before authentication, one peer address) costs at most
// `burst` lines and then `per_second` lines a second; the next line logged
// for that bucket says how many were suppressed since the previous one.
// Thread-safe.
#ifndef API_SERVER_REFUSAL_LOG_H_
#define API_SERVER_REFUSAL_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "api/server/token_bucket.h"
#include "common/clock.h"

namespace api::server {

struct Refusal {
  std::string identity;  // certificate CN, or the peer address before one
  std::string role;      // TLS role name, "" before authentication
  std::string method;    // e.g. "Ingest.Submit"
  std::string peer;      // gRPC's peer string
  absl::Status status;   // the refusal (code and message)
};

class RefusalLog {
 public:
  struct Options {
    double per_second = 1;       // refill rate of each bucket
    double burst = 10;           // bucket size
    size_t max_buckets = 10000;  // beyond: one shared overflow bucket
  };
  // Receives each refusal to log and how many of its bucket were suppressed
  // since the bucket's previous line.
  using Sink = std::function<void(const Refusal&, uint64_t suppressed)>;

  // `clock` outlives this. The default sink writes a LogEvent line.
  RefusalLog(const common::Clock* clock, Options options, Sink sink = {});

  // Logs `refusal` unless its bucket is empty. Returns true when logged.
  bool Record(const Refusal& refusal);

  // A process-wide log on the real clock with default options.
  static RefusalLog& Default();

 private:
  struct Bucket {
    TokenBucket tokens;
    uint64_t suppressed = 0;
  };

  const common::Clock* const clock_;
  const Options options_;
  const Sink sink_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::pair<std::string, int>, Bucket> buckets_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace api::server

#endif  // API_SERVER_REFUSAL_LOG_H_
