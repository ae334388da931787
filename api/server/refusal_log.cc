#include "api/server/refusal_log.h"

#include <algorithm>

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
        const Bucket& b = entry.second;
        return b.suppressed == 0 &&
               b.tokens + absl::ToDoubleSeconds(now - b.last) *
                              options_.per_second >=
                   options_.burst;
      });
      if (buckets_.size() >= options_.max_buckets) key = {"*overflow*", 0};
    }
    auto [it, inserted] = buckets_.try_emplace(key);
    Bucket& bucket = it->second;
    if (inserted) {
      bucket.tokens = options_.burst;
    } else {
      double refill = absl::ToDoubleSeconds(now - bucket.last);
      bucket.tokens =
          std::min(options_.burst,
                   bucket.tokens + std::max(0.0, refill) * options_.per_second);
    }
    bucket.last = now;
    if (bucket.tokens < 1) {
      ++bucket.suppressed;
      return false;
    }
    bucket.tokens -= 1;
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
