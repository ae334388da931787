#include "api/server/fold_follower.h"

#include <utility>

namespace api::server {

FoldFollower::FoldFollower(std::function<void()> work)
    : work_(std::move(work)), thread_([this] { Loop(); }) {}

FoldFollower::~FoldFollower() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void FoldFollower::Kick() {
  absl::MutexLock lock(&mu_);
  kicked_ = true;
}

uint64_t FoldFollower::runs() const {
  absl::MutexLock lock(&mu_);
  return runs_;
}

void FoldFollower::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return kicked_ || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      kicked_ = false;
    }
    work_();
    absl::MutexLock lock(&mu_);
    ++runs_;
  }
}

}  // namespace api::server
