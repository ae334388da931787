#include "ledger/tiles/publish_loop.h"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "ledger/tiles/testonly/in_memory_tile_source.h"

namespace ledger::tiles {
namespace {

using testonly::InMemoryTileSource;

std::string OutDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp == nullptr ? "/tmp" : tmp) + "/" + name;
}

// Collects the loop's reports.
struct Reports {
  absl::Mutex mu;
  std::vector<absl::StatusOr<PublishReport>> all ABSL_GUARDED_BY(mu);

  std::function<void(const absl::StatusOr<PublishReport>&)> Callback() {
    return [this](const absl::StatusOr<PublishReport>& r) {
      absl::MutexLock lock(&mu);
      all.push_back(r);
    };
  }
  // Waits until `n` reports arrived (at most 10 s); returns how many.
  size_t WaitFor(size_t n) {
    absl::MutexLock lock(&mu);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu) {
      return all.size() >= n;
    };
    mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
    return all.size();
  }
};

TEST(PublishLoopTest, PublishesOnceForASizeAndStopsOnDestruction) {
  InMemoryTileSource source(300);
  Reports reports;
  {
    PublishLoop loop(&source, OutDir("loop1"), absl::Milliseconds(10),
                     reports.Callback());
    ASSERT_EQ(reports.WaitFor(1), 1u);
    absl::SleepFor(absl::Milliseconds(100));  // ~10 more rounds
  }
  absl::MutexLock lock(&reports.mu);
  ASSERT_EQ(reports.all.size(), 1u);  // the size did not change
  ASSERT_TRUE(reports.all[0].ok()) << reports.all[0].status();
  EXPECT_EQ(reports.all[0]->size, 300u);
  EXPECT_TRUE(std::ifstream(OutDir("loop1") + "/checkpoint").good());
}

TEST(PublishLoopTest, RetriesAFailedPublish) {
  InMemoryTileSource source(20, 70000);  // leaf 7 over the entry limit
  Reports reports;
  PublishLoop loop(&source, OutDir("loop2"), absl::Milliseconds(10),
                   reports.Callback());
  ASSERT_GE(reports.WaitFor(2), 2u);
  absl::MutexLock lock(&reports.mu);
  EXPECT_EQ(reports.all[1].status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ledger::tiles
