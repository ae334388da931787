#include "api/server/watch_findings_reactor.h"

#include <vector>

#include "api/server/grpc_status.h"

namespace api::server {

WatchFindingsReactor* WatchFindingsReactor::Start(
    ModelView* view, FindingFilter filter, uint64_t from_leaf,
    absl::Status status, std::unique_ptr<IdentityLimiter::Lease> lease) {
  auto* reactor = new WatchFindingsReactor(view, std::move(filter));
  reactor->lease_ = std::move(lease);
  if (status.ok()) status = view->CatchUp();
  if (!status.ok()) {
    absl::MutexLock lock(&reactor->mu_);
    reactor->FinishLocked(status);
    return reactor;
  }
  // Subscribe first, then replay: a finding recorded in between arrives by
  // both paths, and Enqueue keeps only the first (leaves only increase).
  {
    absl::MutexLock lock(&reactor->sub_mu_);
    reactor->subscription_ =
        view->Subscribe(reactor->filter_.scope,
                        [reactor](const aifl::api::v1::RecordedFinding& f) {
                          reactor->Enqueue(f);
                        });
    reactor->subscribed_ = true;
  }
  uint64_t next = from_leaf;
  do {
    uint64_t after = 0;
    for (const auto& f : view->Findings(reactor->filter_, next, 1000, &after)) {
      reactor->Enqueue(f);
    }
    next = after;
  } while (next != 0);
  return reactor;
}

void WatchFindingsReactor::Enqueue(const aifl::api::v1::RecordedFinding& f) {
  if (!filter_.Matches(f.finding())) return;
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  if (any_enqueued_ && f.leaf_index() <= last_leaf_) return;
  any_enqueued_ = true;
  last_leaf_ = f.leaf_index();
  const size_t bytes = f.ByteSizeLong();
  if (queue_.size() >= kMaxQueued || queued_bytes_ + bytes > kMaxQueuedBytes) {
    FinishLocked(absl::ResourceExhaustedError(
        "the client reads findings too slowly; resume with from_leaf"));
    return;
  }
  queue_.push_back(f);
  queued_bytes_ += bytes;
  WriteNextLocked();
}

void WatchFindingsReactor::WriteNextLocked() {
  if (writing_ || finished_ || queue_.empty()) return;
  writing_ = true;
  StartWrite(&queue_.front());
}

void WatchFindingsReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  writing_ = false;
  queued_bytes_ -= queue_.front().ByteSizeLong();
  queue_.pop_front();
  if (!ok) {
    FinishLocked(absl::CancelledError("the stream broke"));
    return;
  }
  WriteNextLocked();
}

void WatchFindingsReactor::FinishLocked(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  Finish(ToGrpcStatus(status));
}

void WatchFindingsReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  FinishLocked(absl::CancelledError("cancelled"));
}

void WatchFindingsReactor::Unsubscribe() {
  absl::MutexLock lock(&sub_mu_);
  if (subscribed_) view_->Unsubscribe(subscription_);
  subscribed_ = false;
}

void WatchFindingsReactor::OnDone() {
  Unsubscribe();
  delete this;
}

}  // namespace api::server
