#include "api/server/checkpoint_publisher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/server/log.h"

namespace api::server {

CheckpointPublisher::CheckpointPublisher(ledger::Ledger* ledger,
                                         common::Clock* clock,
                                         absl::Duration interval)
    : ledger_(ledger), clock_(clock), interval_(interval) {
  absl::MutexLock lock(&mu_);
  // covered_ starts at 0: the first PublishNow (Start() makes one) learns
  // the latest checkpoint's size.
  last_publish_ = clock_->Now();
}

CheckpointPublisher::~CheckpointPublisher() {
  // Dropping the status on purpose: the owner calls Stop() first to see it.
  (void)Stop();
}

void CheckpointPublisher::Start() {
  absl::MutexLock lock(&mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] {
    absl::Status status = PublishNow();
    if (!status.ok()) {
      LogEvent("warning", "checkpoint_publish_failed",
               {{"error", status.ToString()}});
    }
    Run();
  });
}

void CheckpointPublisher::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]()
                      ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&stop), interval_);
      if (stopping_) return;
    }
    absl::Status status = PublishNow();
    if (!status.ok()) {
      LogEvent("warning", "checkpoint_publish_failed",
               {{"error", status.ToString()}});
    }
    if (after_tick_) after_tick_();
  }
}

absl::Status CheckpointPublisher::PublishNow() {
  absl::Status status;
  uint64_t size = 0;
  {
    absl::MutexLock publish_lock(&publish_mu_);
    size = ledger_->Size();
    bool grew;
    {
      absl::MutexLock lock(&mu_);
      grew = size > covered_;
    }
    if (grew) {
      absl::StatusOr<std::string> note = ledger_->PublishCheckpoint();
      status = note.status();
      if (note.ok() && after_publish_) after_publish_(*note);
    }
  }
  std::vector<Waiter> ready;
  {
    absl::MutexLock lock(&mu_);
    absl::Time now = clock_->Now();
    if (status.ok() && size > covered_) {
      covered_ = size;
      last_publish_ = now;
    }
    samples_.emplace_back(now, ledger_->Size());
    while (samples_.size() > 1 &&
           now - samples_.front().first > absl::Minutes(1)) {
      samples_.pop_front();
    }
    absl::Time real_now = absl::Now();
    const uint64_t covered = cover_ ? cover_() : covered_;
    std::vector<Waiter> keep;
    for (Waiter& w : waiters_) {
      if (w.size <= covered || w.deadline <= real_now) {
        ready.push_back(std::move(w));
      } else {
        keep.push_back(std::move(w));
      }
    }
    waiters_ = std::move(keep);
  }
  for (Waiter& w : ready) w.done(Answer(w.size));
  return status;
}

absl::Status CheckpointPublisher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return final_status_;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::Status status = PublishNow();
  std::vector<Waiter> pending;
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
    final_status_ = status;
    pending = std::move(waiters_);
    waiters_.clear();
  }
  for (Waiter& w : pending) {
    w.done(absl::UnavailableError("the server is shutting down"));
  }
  return status;
}

absl::Status CheckpointPublisher::Answer(uint64_t size) const {
  uint64_t covered;
  {
    absl::MutexLock lock(&mu_);
    covered = covered_;
  }
  if (cover_) {
    covered = cover_();
    if (size > covered) return absl::DeadlineExceededError(why_not_(size));
  }
  if (size <= covered) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("no checkpoint covers ", size,
                   " entries yet (latest covers ", covered, ")"));
}

void CheckpointPublisher::WhenCovered(uint64_t size, absl::Time deadline,
                                      std::function<void(absl::Status)> done) {
  bool covered;
  {
    absl::MutexLock lock(&mu_);
    covered = size <= (cover_ ? cover_() : covered_);
    if (!covered && !stopped_) {
      waiters_.push_back(Waiter{size, deadline, std::move(done)});
      return;
    }
  }
  done(covered ? absl::OkStatus()
               : absl::UnavailableError("the server is shutting down"));
}

double CheckpointPublisher::CheckpointAgeSeconds() const {
  absl::MutexLock lock(&mu_);
  return absl::ToDoubleSeconds(clock_->Now() - last_publish_);
}

double CheckpointPublisher::IngestRate() const {
  absl::MutexLock lock(&mu_);
  if (samples_.size() < 2) return 0;
  double dt =
      absl::ToDoubleSeconds(samples_.back().first - samples_.front().first);
  if (dt <= 0) return 0;
  return static_cast<double>(samples_.back().second - samples_.front().second) /
         dt;
}

}  // namespace api::server
