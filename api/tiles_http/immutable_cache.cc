#include "api/tiles_http/immutable_cache.h"

#include <utility>

namespace api::tiles_http {

std::shared_ptr<const CachedBody> ImmutableCache::Get(
    const std::string& key) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : it->second;
}

void ImmutableCache::Put(const std::string& key,
                         std::shared_ptr<const CachedBody> value) {
  const size_t size = value->body.size() + key.size();
  if (size > max_bytes_) return;
  absl::MutexLock lock(&mu_);
  if (!map_.emplace(key, std::move(value)).second) return;  // already there
  order_.push_back(key);
  bytes_ += size;
  while (bytes_ > max_bytes_) {
    auto it = map_.find(order_.front());
    bytes_ -= it->second->body.size() + it->first.size();
    map_.erase(it);
    order_.pop_front();
  }
}

}  // namespace api::tiles_http
