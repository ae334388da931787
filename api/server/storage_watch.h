// Watches the ledger's storage: when a write error could not be cleared
// (Ledger::StorageFailure, after RocksDB's DB::Resume() failed), every append
// would fail from then on. The watch then marks every health-checked service
// NOT_SERVING, logs `storage_failed` and calls `on_failure` once (the binary
// stops and exits non-zero; a restart recovers from the synced WAL).
//
// Thread-safe; owns one thread, stopped by the destructor.
#ifndef API_SERVER_STORAGE_WATCH_H_
#define API_SERVER_STORAGE_WATCH_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/ledger.h"

namespace grpc {
class HealthCheckServiceInterface;
}

namespace api::server {

class StorageWatch {
 public:
  // Checks `ledger` every `interval`. `health` may be null; neither is
  // owned. `on_failure` runs on the watch's thread.
  StorageWatch(const ledger::Ledger* ledger,
               grpc::HealthCheckServiceInterface* health,
               absl::Duration interval,
               std::function<void(const absl::Status&)> on_failure);
  ~StorageWatch();

 private:
  void Run();

  const ledger::Ledger* const ledger_;
  grpc::HealthCheckServiceInterface* const health_;
  const absl::Duration interval_;
  const std::function<void(const absl::Status&)> on_failure_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace api::server

#endif  // API_SERVER_STORAGE_WATCH_H_
