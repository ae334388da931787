#include "ledger/tiles/ledger_tile_source.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/tiles/tiles.h"

namespace ledger::tiles {
namespace {

// The ledger's committed tree as a merkle::NodeReader.
class LedgerNodeReader : public merkle::NodeReader {
 public:
  explicit LedgerNodeReader(const Ledger* ledger) : ledger_(ledger) {}
  absl::StatusOr<std::vector<merkle::Hash>> ReadNodes(
      absl::Span<const merkle::NodeId> ids) override {
    return ledger_->ReadTreeNodes(ids);
  }

 private:
  const Ledger* ledger_;
};

}  // namespace

absl::StatusOr<PublishedCheckpoint> LedgerTileSource::LatestCheckpoint() {
  ASSIGN_OR_RETURN(std::string note, ledger_->LatestCheckpoint());
  return ParsePublishedCheckpoint(std::move(note));
}

absl::StatusOr<std::string> LedgerTileSource::ReadTile(const TileId& tile,
                                                       uint64_t size) {
  if (!tile.entries) {
    LedgerNodeReader reader(ledger_);
    return ReadHashTile(reader, tile, size);
  }
  RETURN_IF_ERROR(CheckTileInTree(tile, size));
  const LeafRange range = BundleLeaves(tile);
  ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                   ledger_->GetLeaves(range.begin, range.count));
  if (leaves.size() != range.count) {
    return absl::InternalError(absl::StrCat(TilePath(tile), ": read ",
                                            leaves.size(), " leaves, want ",
                                            range.count));
  }
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (leaves[i].size() > kMaxEntrySize) {
      return absl::FailedPreconditionError(
          absl::StrCat("leaf ", range.begin + i, " is ", leaves[i].size(),
                       " bytes, over the tlog-tiles entry limit of ",
                       kMaxEntrySize, ": bundle ", TilePath(tile),
                       " cannot be served (ledger/FORMAT.md, \"Tiles\")"));
    }
  }
  return EncodeEntryBundle(leaves);
}

absl::StatusOr<std::string> LedgerTileSource::LogKeyHandover(uint64_t epoch) {
  const LogKeyHistory history = ledger_->LogKeys();
  if (epoch == 0 || epoch >= history.epochs().size()) {
    return absl::NotFoundError(
        absl::StrCat("the log has no rotation to log key ", epoch));
  }
  ASSIGN_OR_RETURN(
      const std::optional<uint64_t> first,
      ledger_->FirstCheckpointAfter(history.epochs()[epoch].announced_at_leaf));
  if (!first.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "the handover checkpoint of log key ", epoch, " is not published"));
  }
  return ledger_->CheckpointAt(*first);
}

}  // namespace ledger::tiles
