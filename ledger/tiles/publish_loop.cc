#include "ledger/tiles/publish_loop.h"

#include <utility>

namespace ledger::tiles {

PublishLoop::PublishLoop(
    TileSource* source, std::string out_dir, absl::Duration interval,
    std::function<void(const absl::StatusOr<PublishReport>&)> on_publish)
    : source_(source),
      out_dir_(std::move(out_dir)),
      interval_(interval),
      on_publish_(std::move(on_publish)),
      thread_([this] { Run(); }) {}

PublishLoop::~PublishLoop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void PublishLoop::Run() {
  bool published = false;
  uint64_t last_size = 0;
  while (true) {
    absl::StatusOr<PublishedCheckpoint> checkpoint =
        source_->LatestCheckpoint();
    if (checkpoint.ok() && (!published || checkpoint->size != last_size)) {
      absl::StatusOr<PublishReport> report = PublishTiles(*source_, out_dir_);
      if (report.ok()) {
        published = true;
        last_size = report->size;
      }
      if (on_publish_) on_publish_(report);
    }
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_)) return;
  }
}

}  // namespace ledger::tiles
