#include "api/server/fold_follower.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(FoldFollowerTest, RunsTheWorkOnItsOwnThreadWithoutBlockingTheKicker) {
  absl::Notification started, release;
  std::thread::id worker;
  FoldFollower follower([&] {
    worker = std::this_thread::get_id();
    if (!started.HasBeenNotified()) started.Notify();
    release.WaitForNotification();
  });
  follower.Kick();
  started.WaitForNotification();
  // The work is blocked: were Kick() to wait for it, this would hang.
  follower.Kick();
  follower.Kick();
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(follower.runs(), 0u);
  release.Notify();
}

TEST(FoldFollowerTest, KicksDuringARunCoalesceIntoOneMoreRun) {
  absl::Mutex mu;
  int calls = 0;
  absl::Notification first_running, let_first_finish;
  FoldFollower follower([&] {
    int call;
    {
      absl::MutexLock lock(&mu);
      call = ++calls;
    }
    if (call == 1) {
      first_running.Notify();
      let_first_finish.WaitForNotification();
    }
  });
  follower.Kick();
  first_running.WaitForNotification();
  for (int i = 0; i < 5; ++i) follower.Kick();
  let_first_finish.Notify();
  while (follower.runs() < 2) absl::SleepFor(absl::Milliseconds(1));
  // Nothing kicked since the second run started: no third one comes. (The
  // destructor joins, so a third would have to have started already.)
  absl::SleepFor(absl::Milliseconds(20));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace api::server
