#include "api/server/blocking_work_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(BlockingWorkPool, RunsEveryTaskAndDrainsOnDestruction) {
  std::atomic<int> ran{0};
  {
    BlockingWorkPool pool(3, 1000);
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(pool.TrySchedule([&ran] { ran.fetch_add(1); }));
    }
  }  // the destructor runs what is still queued
  EXPECT_EQ(ran.load(), 500);
}

TEST(BlockingWorkPool, RefusesBeyondTheQueueBound) {
  absl::Notification release;
  absl::Notification started;
  std::atomic<int> ran{0};
  BlockingWorkPool pool(1, 2);
  // Occupy the only thread, then fill the queue.
  ASSERT_TRUE(pool.TrySchedule([&] {
    started.Notify();
    release.WaitForNotification();
    ran.fetch_add(1);
  }));
  started.WaitForNotification();
  EXPECT_TRUE(pool.TrySchedule([&ran] { ran.fetch_add(1); }));
  EXPECT_TRUE(pool.TrySchedule([&ran] { ran.fetch_add(1); }));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.TrySchedule([&ran] { ran.fetch_add(100); }));
  release.Notify();
  while (ran.load() < 3) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(ran.load(), 3);
  // Room again once the queue drained.
  EXPECT_TRUE(pool.TrySchedule([] {}));
}

}  // namespace
}  // namespace api::server
