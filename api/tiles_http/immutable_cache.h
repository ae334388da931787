// ImmutableCache: bodies of immutable responses (full tiles and bundles, each
// as sent: identity or gzip) with their ETags, so a hot tile costs one map
// lookup instead of a storage read, an encoding and a SHA-256. Bounded by
// bytes; the oldest entries go first (tiles never change, so nothing is ever
// stale, and recent tiles are the hot ones).
//
// Thread-safe.
#ifndef API_TILES_HTTP_IMMUTABLE_CACHE_H_
#define API_TILES_HTTP_IMMUTABLE_CACHE_H_

#include <deque>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace api::tiles_http {

struct CachedBody {
  std::string body;
  std::string etag;
  bool gzipped = false;
};

class ImmutableCache {
 public:
  // Holds at most `max_bytes` of bodies (0: caches nothing).
  explicit ImmutableCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The entry stored under `key`, or null.
  std::shared_ptr<const CachedBody> Get(const std::string& key) const;
  // Stores `value` under `key` (a body larger than the budget is not
  // stored), evicting the oldest entries to fit.
  void Put(const std::string& key, std::shared_ptr<const CachedBody> value);

 private:
  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const CachedBody>> map_
      ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_IMMUTABLE_CACHE_H_
