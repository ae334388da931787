// PublishLoop: keeps a static tlog-tiles folder current (ledger_server
// --publish_dir): a thread that, every `interval`, publishes the source's
// latest checkpoint with PublishTiles when its size changed since the last
// successful publish (a failed one is retried next time).
//
// Thread-safe. The source is not owned and must outlive the loop.
#ifndef LEDGER_TILES_PUBLISH_LOOP_H_
#define LEDGER_TILES_PUBLISH_LOOP_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/tiles/static_publisher.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles {

class PublishLoop {
 public:
  // Starts the thread; `on_publish` (may be null) is called from it with
  // each attempt's outcome.
  PublishLoop(
      TileSource* source, std::string out_dir, absl::Duration interval,
      std::function<void(const absl::StatusOr<PublishReport>&)> on_publish);
  // Stops the thread after the publish in progress, if any.
  ~PublishLoop();

 private:
  void Run();

  TileSource* source_;
  const std::string out_dir_;
  const absl::Duration interval_;
  const std::function<void(const absl::StatusOr<PublishReport>&)> on_publish_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_PUBLISH_LOOP_H_
