#include "ledger/tiles/static_publisher.h"

#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/durable_file.h"
#include "common/errno_status.h"
#include "common/status_macros.h"
#include "ledger/tiles/tiles.h"

namespace ledger::tiles {
namespace {

// mkdir -p of the folder holding `path`.
absl::Status MakeParents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return common::ErrnoToStatus(errno, absl::StrCat("creating ", dir));
    }
  }
  return absl::OkStatus();
}

// One publishing run into one folder.
class Publisher {
 public:
  Publisher(TileSource& source, const std::string& out_dir,
            const std::function<void(const std::string&)>& on_write)
      : source_(source), out_dir_(out_dir), on_write_(on_write) {}

  // Writes `bytes` at `relative` (durably).
  absl::Status Write(const std::string& relative, absl::string_view bytes) {
    const std::string path = absl::StrCat(out_dir_, "/", relative);
    RETURN_IF_ERROR(MakeParents(path));
    RETURN_IF_ERROR(common::WriteFileDurably(path, bytes));
    report_.bytes_written += bytes.size();
    if (on_write_) on_write_(relative);
    return absl::OkStatus();
  }

  bool Present(const std::string& relative) const {
    return common::PathExists(absl::StrCat(out_dir_, "/", relative));
  }

  // Every tile of the tree of `size` leaves that is not there yet.
  absl::Status WriteTiles(uint64_t size) {
    for (const TileId& tile : TilesForSize(size)) {
      const std::string relative = TilePath(tile);
      if (Present(relative)) {
        ++report_.skipped;
        continue;
      }
      ASSIGN_OR_RETURN(std::string bytes, source_.ReadTile(tile, size));
      RETURN_IF_ERROR(Write(relative, bytes));
      ++report_.written;
    }
    return absl::OkStatus();
  }

  // Each log-key handover the source keeps and the folder lacks, after the
  // tiles of its tree (a reader follows the tree to the handover's size,
  // whose partial tiles the latest checkpoint's may not include).
  absl::Status WriteHandovers() {
    for (uint64_t epoch = 1;; ++epoch) {
      absl::StatusOr<std::string> note = source_.LogKeyHandover(epoch);
      if (absl::IsNotFound(note.status())) return absl::OkStatus();
      RETURN_IF_ERROR(note.status());
      const std::string relative = HandoverPath(epoch);
      if (Present(relative)) continue;  // immutable, with its tiles
      ASSIGN_OR_RETURN(PublishedCheckpoint handover,
                       ParsePublishedCheckpoint(*std::move(note)));
      RETURN_IF_ERROR(WriteTiles(handover.size));
      RETURN_IF_ERROR(Write(relative, handover.note));
      ++report_.handovers_written;
    }
  }

  PublishReport& report() { return report_; }

 private:
  TileSource& source_;
  const std::string& out_dir_;
  const std::function<void(const std::string&)>& on_write_;
  PublishReport report_;
};

}  // namespace

absl::StatusOr<PublishReport> PublishTiles(
    TileSource& source, const std::string& out_dir,
    const std::function<void(const std::string&)>& on_write) {
  ASSIGN_OR_RETURN(PublishedCheckpoint checkpoint, source.LatestCheckpoint());
  Publisher publisher(source, out_dir, on_write);
  publisher.report().size = checkpoint.size;
  RETURN_IF_ERROR(publisher.WriteTiles(checkpoint.size));
  // Handovers before the checkpoint: a reader served a checkpoint only the
  // new key signed finds the handover that introduces it.
  RETURN_IF_ERROR(publisher.WriteHandovers());
  RETURN_IF_ERROR(publisher.Write("checkpoint", checkpoint.note));
  return publisher.report();
}

}  // namespace ledger::tiles
