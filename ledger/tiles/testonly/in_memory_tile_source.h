// A TileSource over a log held in memory, for tests of the tiles endpoint
// and publisher: leaves "leaf <i>", an InMemoryTree, and a checkpoint note
// whose body is "test\n<size>\nROOT\n" (not a real signature).
// Not thread-safe.
#ifndef LEDGER_TILES_TESTONLY_IN_MEMORY_TILE_SOURCE_H_
#define LEDGER_TILES_TESTONLY_IN_MEMORY_TILE_SOURCE_H_

#include <string>
#include <vector>

#include "ledger/merkle/in_memory_tree.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles::testonly {

class InMemoryTileSource : public TileSource {
 public:
  // A log of `size` leaves; when big_leaf > 0, leaf 7 is that many bytes.
  explicit InMemoryTileSource(uint64_t size, size_t big_leaf = 0);

  // Appends `count` more leaves (the checkpoint follows).
  void Grow(uint64_t count);

  absl::StatusOr<PublishedCheckpoint> LatestCheckpoint() override;
  // As LedgerTileSource: kFailedPrecondition naming a leaf over
  // kMaxEntrySize.
  absl::StatusOr<std::string> ReadTile(const TileId& tile,
                                       uint64_t size) override;

  const std::vector<std::string>& leaves() const { return leaves_; }

 private:
  size_t big_leaf_;
  std::vector<std::string> leaves_;
  merkle::InMemoryTree tree_;
};

}  // namespace ledger::tiles::testonly

#endif  // LEDGER_TILES_TESTONLY_IN_MEMORY_TILE_SOURCE_H_
