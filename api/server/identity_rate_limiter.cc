#include "api/server/identity_rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace api::server {
namespace {

absl::Status Refused(absl::string_view what, double rate,
                     const std::string& identity, double wait_seconds) {
  return absl::ResourceExhaustedError(
      absl::StrCat("Submit rate limit of ", rate, " ", what,
                   "/s per identity reached for \"", identity, "\"; retry in ",
                   std::max(1.0, std::ceil(wait_seconds)), " s"));
}

}  // namespace

IdentityRateLimiter::IdentityRateLimiter(const common::Clock* clock,
                                         Options options)
    : clock_(clock), options_(options) {}

absl::Status IdentityRateLimiter::Admit(const std::string& identity,
                                        int entries) {
  const bool limit_calls = options_.calls_per_second > 0;
  const bool limit_entries = options_.entries_per_second > 0;
  if (!limit_calls && !limit_entries) return absl::OkStatus();
  const double call_burst = std::max(1.0, options_.call_burst);
  const double entry_burst = std::max(1.0, options_.entry_burst);
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(identity);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_identities) {
      absl::erase_if(buckets_, [&](const auto& entry) {
        return entry.second.calls.Full(now) && entry.second.entries.Full(now);
      });
    }
    // A limit that is off gets a bucket that is never short.
    it = buckets_
             .emplace(
                 identity,
                 Buckets{
                     TokenBucket(call_burst,
                                 limit_calls ? options_.calls_per_second : 1e18,
                                 now),
                     TokenBucket(
                         entry_burst,
                         limit_entries ? options_.entries_per_second : 1e18,
                         now)})
             .first;
  }
  Buckets& b = it->second;
  if (limit_calls && !b.calls.HasToken(now)) {
    return Refused("calls", options_.calls_per_second, identity,
                   b.calls.SecondsUntilToken(now));
  }
  const double needed = std::min<double>(entries, entry_burst);
  if (limit_entries && !b.entries.HasToken(now, needed)) {
    return Refused("entries", options_.entries_per_second, identity,
                   b.entries.SecondsUntilToken(now, needed));
  }
  if (limit_calls) b.calls.Charge(now, 1);
  if (limit_entries) b.entries.Charge(now, entries);
  return absl::OkStatus();
}

}  // namespace api::server
