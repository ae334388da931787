#include "api/server/refusal_log.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "api/server/log.h"

namespace api::server {
namespace {

constexpr size_t kMaxMessageBytes = 300;

void WriteLine(const Refusal& r, uint64_t suppressed) {
  std::string message(r.status.message().substr(0, kMaxMessageBytes));
  LogEvent("warning", "refused",
           {{"identity", r.identity},
            {"role", r.role},
            {"method", r.method},
            {"code", absl::StatusCodeToString(r.status.code())},
            {"message", message},
            {"peer", r.peer},
            {"suppressed", absl::StrCat(suppressed)}});
}

}  // namespace

RefusalLog::RefusalLog(const common::Clock* clock, Options options, Sink sink)
    : clock_(clock),
      options_(options),
      sink_(sink ? std::move(sink) : Sink(&WriteLine)) {}

bool RefusalLog::Record(const Refusal& refusal) {
  const absl::Time now = clock_->Now();
  uint64_t suppressed = 0;
  {
    absl::MutexLock lock(&mu_);
    std::pair<std::string, int> key(refusal.identity,
                                    static_cast<int>(refusal.status.code()));
    if (!buckets_.contains(key) && buckets_.size() >= options_.max_buckets) {
      // Forget buckets that have refilled (nothing owed to them); if none
      // did, charge the shared overflow bucket.
      absl::erase_if(buckets_, [&](const auto& entry) {
        return entry.second.suppressed == 0 && entry.second.tokens.Full(now);
      });
      if (buckets_.size() >= options_.max_buckets) key = {"*overflow*", 0};
    }
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      it = buckets_
               .emplace(key, Bucket{TokenBucket(options_.burst,
                                                options_.per_second, now)})
               .first;
    }
    Bucket& bucket = it->second;
    if (!bucket.tokens.TryTake(now)) {
      ++bucket.suppressed;
      return false;
    }
    suppressed = bucket.suppressed;
    bucket.suppressed = 0;
  }
  sink_(refusal, suppressed);
  return true;
}

RefusalLog& RefusalLog::Default() {
  static RefusalLog* log = new RefusalLog(common::RealClock::Get(), Options());
  return *log;
}

}  // namespace api::server
