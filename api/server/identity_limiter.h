// Per-identity fairness (issue 14 item 4): at most `max_per_identity` slots
// held at once by one caller identity (certificate CN, or "local"), and, for
// the Submit queue, at most `max_total_bytes` of request bytes held by all
// callers together. A slot is an RAII lease: the work it guards holds it
// until done. One flooding certificate then fills its own share and gets
// RESOURCE_EXHAUSTED while others keep theirs. Thread-safe.
#ifndef API_SERVER_IDENTITY_LIMITER_H_
#define API_SERVER_IDENTITY_LIMITER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace api::server {

class IdentityLimiter {
 public:
  // Released (returned to its limiter) when destroyed. REQUIRES: the limiter
  // outlives its leases.
  class Lease {
   public:
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    friend class IdentityLimiter;
    Lease(IdentityLimiter* limiter, std::string identity, size_t bytes)
        : limiter_(limiter), identity_(std::move(identity)), bytes_(bytes) {}
    IdentityLimiter* const limiter_;
    const std::string identity_;
    const size_t bytes_;
  };

  // `what` names the resource in messages, e.g. "WatchFindings streams".
  // max_total_bytes 0 = no byte bound.
  IdentityLimiter(std::string what, size_t max_per_identity,
                  size_t max_total_bytes = 0);

  // A lease for `identity` holding `bytes`; kResourceExhausted ("… limit of N
  // per identity reached for \"x\"", or the byte bound) when it would exceed
  // a bound.
  absl::StatusOr<std::unique_ptr<Lease>> TryAcquire(const std::string& identity,
                                                    size_t bytes = 0);

  // Leases held by `identity` now; bytes held by all.
  size_t held(const std::string& identity) const;
  size_t held_bytes() const;

 private:
  void Release(const std::string& identity, size_t bytes);

  const std::string what_;
  const size_t max_per_identity_;
  const size_t max_total_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, size_t> held_ ABSL_GUARDED_BY(mu_);
  size_t held_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace api::server

#endif  // API_SERVER_IDENTITY_LIMITER_H_
