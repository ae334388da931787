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

}  // namespace

absl::StatusOr<PublishReport> PublishTiles(
    TileSource& source, const std::string& out_dir,
    const std::function<void(const std::string&)>& on_write) {
  ASSIGN_OR_RETURN(PublishedCheckpoint checkpoint, source.LatestCheckpoint());
  PublishReport report;
  report.size = checkpoint.size;
  const auto write = [&](const std::string& relative,
                         absl::string_view bytes) -> absl::Status {
    const std::string path = absl::StrCat(out_dir, "/", relative);
    RETURN_IF_ERROR(MakeParents(path));
    RETURN_IF_ERROR(common::WriteFileDurably(path, bytes));
    report.bytes_written += bytes.size();
    if (on_write) on_write(relative);
    return absl::OkStatus();
  };
  for (const TileId& tile : TilesForSize(checkpoint.size)) {
    const std::string relative = TilePath(tile);
    if (common::PathExists(absl::StrCat(out_dir, "/", relative))) {
      ++report.skipped;
      continue;
    }
    ASSIGN_OR_RETURN(std::string bytes, source.ReadTile(tile, checkpoint.size));
    RETURN_IF_ERROR(write(relative, bytes));
    ++report.written;
  }
  RETURN_IF_ERROR(write("checkpoint", checkpoint.note));
  return report;
}

}  // namespace ledger::tiles
