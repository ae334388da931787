// TileTree: the hashes and leaves of one checkpoint's tree, read from C2SP
// tlog-tiles over HTTP and verified against the checkpoint's root before
// anything is returned (../../shared/FEDERATION.md, "tlog-tiles").
//
// How each thing is verified:
//   - the partial tile of every level (those of the checkpoint's size) is
//     fetched when the tree is opened; together they give the tree's right
//     frontier, whose fold must equal the root;
//   - a full hash tile (l, n) hashes (as a perfect subtree of 256) to hash
//     n mod 256 of tile (l + 1, n / 256), itself verified the same way, up
//     to a partial tile: so every tile is checked up to the root;
//   - a full entry bundle: the perfect subtree of its 256 leaf hashes must be
//     that same hash in tile (1, n / 256); when it is not, the level-0 tile
//     (verified) names the first leaf that differs. The last, partial bundle
//     is compared leaf by leaf with the partial level-0 tile.
// Any other perfect node is computed from the verified tile that holds it,
// so proofs built from ReadNodes are proofs of this tree.
//
// Memory is bounded: at most `max_cached_tiles` full hash tiles (8 KiB each),
// the partial tiles (one per level) and the last bundle read.
//
// Errors: kDataLoss naming the tile (its URL) when tiles or bundles do not
// verify or are malformed; kUnavailable (with the URL) when HTTP fails,
// including a 404 for a tile the checkpoint says exists; kOutOfRange for a
// node or bundle beyond the tree.
//
// Not thread-safe.
#ifndef API_CLIENT_TILE_TREE_H_
#define API_CLIENT_TILE_TREE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "api/client/http_getter.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/tiles/tile_path.h"

namespace api::client {

class TileTree : public ledger::merkle::NodeReader {
 public:
  // Opens the tree of `size` leaves with root `root`, served under
  // `base_url` (no trailing '/'), and verifies its partial tiles. `http` is
  // not owned and must outlive the tree.
  static absl::StatusOr<std::unique_ptr<TileTree>> Open(
      HttpGetter* http, std::string base_url, uint64_t size,
      const ledger::merkle::Hash& root, size_t max_cached_tiles = 64);

  uint64_t size() const { return size_; }
  const ledger::merkle::Hash& root() const { return root_; }

  // Perfect nodes of this tree (each within [0, size)), verified.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ReadNodes(
      absl::Span<const ledger::merkle::NodeId> ids) override;

  // The leaves of entry bundle `index` (all of it that this tree holds: 256,
  // or size mod 256 for the last), verified. kOutOfRange beyond the tree.
  absl::StatusOr<std::shared_ptr<const std::vector<std::string>>> Bundle(
      uint64_t index);

  // A verified entry bundle and the RFC 6962 hash of each of its leaves (as
  // computed to verify it), so a reader that needs them (the AI Office
  // follower's replay) does not hash every leaf again.
  struct VerifiedBundle {
    std::vector<std::string> leaves;
    std::vector<ledger::merkle::Hash> leaf_hashes;
  };
  // Bundle(index) with its leaf hashes.
  absl::StatusOr<std::shared_ptr<const VerifiedBundle>> BundleWithHashes(
      uint64_t index);

  // The URL of `tile`, for messages.
  std::string Url(const ledger::tiles::TileId& tile) const;

 private:
  using Hashes = std::vector<ledger::merkle::Hash>;

  TileTree(HttpGetter* http, std::string base_url, uint64_t size,
           const ledger::merkle::Hash& root, size_t max_cached_tiles)
      : http_(http),
        base_url_(std::move(base_url)),
        size_(size),
        root_(root),
        max_cached_tiles_(max_cached_tiles) {}

  // Fetches and verifies the partial tiles; compares the root.
  absl::Status VerifyFrontier();
  // Fetches `tile` (a partial one from its full tile when the partial is
  // gone, as the spec allows), at most `max_bytes`.
  absl::StatusOr<std::string> Fetch(const ledger::tiles::TileId& tile,
                                    size_t max_bytes);
  absl::StatusOr<Hashes> FetchHashTile(const ledger::tiles::TileId& tile);
  // The verified hashes of hash tile (level, index) of this tree.
  absl::StatusOr<std::shared_ptr<const Hashes>> HashTile(uint32_t level,
                                                         uint64_t index);
  // Names the first leaf of full bundle `index` that differs from the
  // level-0 tile (called when the bundle's subtree hash is wrong).
  absl::Status LocateBadLeaf(uint64_t index, const Hashes& leaf_hashes);

  HttpGetter* http_;
  const std::string base_url_;
  const uint64_t size_;
  const ledger::merkle::Hash root_;
  const size_t max_cached_tiles_;
  // Partial tile of each level (empty when that level has none).
  std::vector<std::shared_ptr<const Hashes>> partials_;
  // Verified full hash tiles by (level, index); oldest first in order_.
  absl::flat_hash_map<std::pair<uint32_t, uint64_t>,
                      std::shared_ptr<const Hashes>>
      full_;
  std::deque<std::pair<uint32_t, uint64_t>> order_;
  // The last bundle read.
  uint64_t bundle_index_ = 0;
  std::shared_ptr<const VerifiedBundle> bundle_;
};

}  // namespace api::client

#endif  // API_CLIENT_TILE_TREE_H_
