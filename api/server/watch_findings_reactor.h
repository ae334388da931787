// The server stream of Audit.WatchFindings: replays recorded findings from a
// leaf, then pushes each new one as the model view records it. One write in
// flight at a time; a client that falls more than kMaxQueued findings behind
// is ended with RESOURCE_EXHAUSTED. Deletes itself when gRPC is done with it.
#ifndef API_SERVER_WATCH_FINDINGS_REACTOR_H_
#define API_SERVER_WATCH_FINDINGS_REACTOR_H_

#include <cstdint>
#include <deque>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "api/server/identity_limiter.h"
#include "api/server/model_view.h"
#include "grpcpp/support/server_callback.h"

namespace api::server {

class WatchFindingsReactor final
    : public grpc::ServerWriteReactor<aifl::api::v1::RecordedFinding> {
 public:
  // A watcher more than this far behind is ended with RESOURCE_EXHAUSTED (it
  // resumes with from_leaf): bounds server memory per stream by count and
  // by bytes, so many slow or abandoned streams cannot exhaust it.
  static constexpr size_t kMaxQueued = 10000;
  static constexpr size_t kMaxQueuedBytes = 256 << 10;

  // Starts a stream; when `status` is not OK it finishes at once with it.
  // `lease` (may be null) is held until gRPC is done with the stream.
  static WatchFindingsReactor* Start(
      ModelView* view, FindingFilter filter, uint64_t from_leaf,
      absl::Status status,
      std::unique_ptr<IdentityLimiter::Lease> lease = nullptr);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  WatchFindingsReactor(ModelView* view, FindingFilter filter)
      : view_(view), filter_(std::move(filter)) {}
  void Enqueue(const aifl::api::v1::RecordedFinding& f);
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Unsubscribe();

  ModelView* const view_;
  const FindingFilter filter_;
  std::unique_ptr<IdentityLimiter::Lease> lease_;
  absl::Mutex sub_mu_;
  bool subscribed_ ABSL_GUARDED_BY(sub_mu_) = false;
  uint64_t subscription_ ABSL_GUARDED_BY(sub_mu_) = 0;

  absl::Mutex mu_;
  std::deque<aifl::api::v1::RecordedFinding> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool any_enqueued_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t last_leaf_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace api::server

#endif  // API_SERVER_WATCH_FINDINGS_REACTOR_H_
