#include "api/server/bad_signature_backoff.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace api::server {

BadSignatureBackoff::BadSignatureBackoff(const common::Clock* clock,
                                         Options options)
    : clock_(clock), options_(options) {}

absl::Status BadSignatureBackoff::Admit(const std::string& identity) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(identity);
  if (it == buckets_.end() || it->second.HasToken(now)) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many entries with bad signatures from \"", identity,
      "\": Submit refused for ", std::ceil(it->second.SecondsUntilToken(now)),
      " s; check the signing key and origin, then retry"));
}

double BadSignatureBackoff::SecondsOwed(const std::string& identity) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(identity);
  return it == buckets_.end() ? 0 : it->second.SecondsUntilToken(now);
}

void BadSignatureBackoff::RecordFailures(const std::string& identity,
                                         int failures) {
  if (failures <= 0) return;
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  if (!buckets_.contains(identity) &&
      buckets_.size() >= options_.max_identities) {
    absl::erase_if(buckets_,
                   [&](const auto& entry) { return entry.second.Full(now); });
  }
  auto it = buckets_.find(identity);
  if (it == buckets_.end()) {
    it = buckets_
             .emplace(identity,
                      TokenBucket(options_.burst, options_.per_second, now))
             .first;
  }
  it->second.Charge(now, failures);
}

}  // namespace api::server
