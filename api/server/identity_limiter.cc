#include "api/server/identity_limiter.h"

#include "absl/strings/str_cat.h"

namespace api::server {

IdentityLimiter::Lease::~Lease() { limiter_->Release(identity_, bytes_); }

IdentityLimiter::IdentityLimiter(std::string what, size_t max_per_identity,
                                 size_t max_total_bytes)
    : what_(std::move(what)),
      max_per_identity_(max_per_identity),
      max_total_bytes_(max_total_bytes) {}

absl::StatusOr<std::unique_ptr<IdentityLimiter::Lease>>
IdentityLimiter::TryAcquire(const std::string& identity, size_t bytes) {
  absl::MutexLock lock(&mu_);
  size_t& held = held_[identity];
  if (held >= max_per_identity_) {
    if (held == 0) held_.erase(identity);
    return absl::ResourceExhaustedError(absl::StrCat(
        what_, ": limit of ", max_per_identity_, " per identity reached for \"",
        identity, "\"; retry when earlier ones finish"));
  }
  if (max_total_bytes_ != 0 && held_bytes_ + bytes > max_total_bytes_) {
    if (held == 0) held_.erase(identity);
    return absl::ResourceExhaustedError(
        absl::StrCat(what_, ": ", held_bytes_, " request bytes already wait (",
                     "limit ", max_total_bytes_, "); retry with backoff"));
  }
  ++held;
  held_bytes_ += bytes;
  return std::unique_ptr<Lease>(new Lease(this, identity, bytes));
}

void IdentityLimiter::Release(const std::string& identity, size_t bytes) {
  absl::MutexLock lock(&mu_);
  auto it = held_.find(identity);
  if (it != held_.end() && --it->second == 0) held_.erase(it);
  held_bytes_ -= bytes;
}

size_t IdentityLimiter::held(const std::string& identity) const {
  absl::MutexLock lock(&mu_);
  auto it = held_.find(identity);
  return it == held_.end() ? 0 : it->second;
}

size_t IdentityLimiter::held_bytes() const {
  absl::MutexLock lock(&mu_);
  return held_bytes_;
}

}  // namespace api::server
