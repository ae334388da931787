#include "api/server/storage_watch.h"

#include <utility>

#include "api/server/log.h"
#include "grpcpp/health_check_service_interface.h"

namespace api::server {

StorageWatch::StorageWatch(const ledger::Ledger* ledger,
                           grpc::HealthCheckServiceInterface* health,
                           absl::Duration interval,
                           std::function<void(const absl::Status&)> on_failure)
    : ledger_(ledger),
      health_(health),
      interval_(interval),
      on_failure_(std::move(on_failure)),
      thread_([this] { Run(); }) {}

StorageWatch::~StorageWatch() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void StorageWatch::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
    if (stopping_) return;
    const absl::Status failure = ledger_->StorageFailure();
    if (failure.ok()) continue;
    if (health_ != nullptr) health_->SetServingStatus(false);
    LogEvent("error", "storage_failed",
             {{"error", failure.ToString()},
              {"action",
               "not serving; exiting (a restart recovers from the synced "
               "write-ahead log once the cause — disk, descriptors — is "
               "fixed)"}});
    mu_.Unlock();
    if (on_failure_) on_failure_(failure);
    mu_.Lock();
    return;
  }
}

}  // namespace api::server
