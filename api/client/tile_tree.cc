#include "api/client/tile_tree.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tiles/tiles.h"

namespace api::client {
namespace {

using ledger::merkle::CompactRange;
using ledger::merkle::Hash;
using ledger::merkle::kHashSize;
using ledger::merkle::NodeId;
using ledger::tiles::HashesAtLevel;
using ledger::tiles::kTileWidth;
using ledger::tiles::PartialWidth;
using ledger::tiles::TileId;

// Levels of hash tiles a 64-bit tree size can have (256^8 = 2^64).
constexpr uint32_t kLevels = 8;
// The largest bundle: 256 entries of a 2-byte length and 65,535 bytes.
constexpr size_t kMaxBundleBytes =
    size_t{kTileWidth} * (2 + ledger::tiles::kMaxEntrySize);

// The frontier of `hashes` taken as adjacent nodes of one level: the perfect
// subtrees of their count's binary decomposition, largest first. One hash
// for a power-of-two count (the perfect subtree's hash).
std::vector<Hash> Frontier(absl::Span<const Hash> hashes) {
  CompactRange range;
  for (const Hash& h : hashes) range.Append(h, nullptr);
  return range.hashes();
}

Hash PerfectHash(absl::Span<const Hash> hashes) {
  return Frontier(hashes).front();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TileTree>> TileTree::Open(
    HttpGetter* http, std::string base_url, uint64_t size, const Hash& root,
    size_t max_cached_tiles) {
  std::unique_ptr<TileTree> tree(
      new TileTree(http, std::move(base_url), size, root,
                   max_cached_tiles == 0 ? 1 : max_cached_tiles));
  RETURN_IF_ERROR(tree->VerifyFrontier());
  return tree;
}

std::string TileTree::Url(const TileId& tile) const {
  return absl::StrCat(base_url_, "/", ledger::tiles::TilePath(tile));
}

absl::Status TileTree::VerifyFrontier() {
  partials_.assign(kLevels, nullptr);
  std::vector<Hash> frontier;
  std::vector<std::string> urls;
  for (int level = kLevels - 1; level >= 0; --level) {
    const uint32_t width = PartialWidth(size_, level);
    if (width == 0) continue;
    const TileId tile{false, static_cast<uint32_t>(level),
                      HashesAtLevel(size_, level) / kTileWidth, width};
    ASSIGN_OR_RETURN(Hashes hashes, FetchHashTile(tile));
    for (const Hash& h : Frontier(hashes)) frontier.push_back(h);
    partials_[level] = std::make_shared<const Hashes>(std::move(hashes));
    urls.push_back(Url(tile));
  }
  if (ledger::merkle::FoldSubtrees(frontier) != root_) {
    return absl::DataLossError(absl::StrCat(
        "the partial tiles of size ", size_, " (",
        urls.empty() ? "none: the empty tree" : absl::StrJoin(urls, ", "),
        ") do not give the checkpoint's root ",
        ledger::merkle::HashToBase64(root_), ": a tile was changed"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TileTree::Fetch(const TileId& tile,
                                            size_t max_bytes) {
  // One byte over the bound is fetched, so that an over-long tile is
  // reported as the tile's fault (kDataLoss), not the transport's.
  absl::StatusOr<std::string> body = http_->Get(Url(tile), max_bytes + 1);
  if (absl::IsNotFound(body.status()) && !tile.full()) {
    // A partial tile may be deleted once its full tile exists; the full
    // tile starts with the same hashes or entries.
    TileId full = tile;
    full.width = kTileWidth;
    body = http_->Get(Url(full), kTileWidth * (max_bytes / tile.width) + 1);
  }
  if (absl::IsNotFound(body.status())) {
    return absl::UnavailableError(
        absl::StrCat(body.status().message(), " (the checkpoint of size ",
                     size_, " says this tile exists)"));
  }
  return body;
}

absl::StatusOr<TileTree::Hashes> TileTree::FetchHashTile(const TileId& tile) {
  const size_t want = size_t{tile.width} * kHashSize;
  ASSIGN_OR_RETURN(std::string body, Fetch(tile, want));
  // A full tile fetched in place of a partial one: keep its prefix.
  if (body.size() == kTileWidth * kHashSize && want < body.size()) {
    body.resize(want);
  }
  if (body.size() != want) {
    return absl::DataLossError(absl::StrCat(
        "hash tile ", Url(tile), ": ", body.size(), " bytes, want ", want));
  }
  Hashes hashes(tile.width);
  for (size_t i = 0; i < hashes.size(); ++i) {
    std::copy(body.begin() + i * kHashSize, body.begin() + (i + 1) * kHashSize,
              hashes[i].begin());
  }
  return hashes;
}

absl::StatusOr<std::shared_ptr<const TileTree::Hashes>> TileTree::HashTile(
    uint32_t level, uint64_t index) {
  const uint64_t full_tiles =
      level < kLevels ? HashesAtLevel(size_, level) / kTileWidth : 0;
  if (index >= full_tiles) {
    if (level < kLevels && index == full_tiles && partials_[level] != nullptr)
      return partials_[level];
    return absl::OutOfRangeError(absl::StrCat(
        "hash tile ", level, "/", index, ": not in the tree of size ", size_));
  }
  const auto key = std::make_pair(level, index);
  if (auto it = full_.find(key); it != full_.end()) return it->second;
  const TileId tile{false, level, index, kTileWidth};
  ASSIGN_OR_RETURN(Hashes hashes, FetchHashTile(tile));
  // Its perfect-subtree hash is one hash of the tile above, verified first.
  ASSIGN_OR_RETURN(std::shared_ptr<const Hashes> parent,
                   HashTile(level + 1, index / kTileWidth));
  if (PerfectHash(hashes) != (*parent)[index % kTileWidth]) {
    const TileId parent_tile{false, level + 1, index / kTileWidth,
                             static_cast<uint32_t>(parent->size())};
    return absl::DataLossError(absl::StrCat(
        "hash tile ", Url(tile), " does not match the tree of size ", size_,
        ": its hash differs from hash ", index % kTileWidth, " of ",
        Url(parent_tile), " (a tile was changed)"));
  }
  auto verified = std::make_shared<const Hashes>(std::move(hashes));
  if (full_.size() >= max_cached_tiles_) {
    full_.erase(order_.front());
    order_.pop_front();
  }
  full_.emplace(key, verified);
  order_.push_back(key);
  return verified;
}

absl::StatusOr<std::vector<Hash>> TileTree::ReadNodes(
    absl::Span<const NodeId> ids) {
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id.level >= 64 || id.index >= (size_ >> id.level)) {
      return absl::OutOfRangeError(absl::StrCat(
          "node ", id.ToString(), ": not in the tree of size ", size_));
    }
    // Node {8l + j, i} is the perfect subtree of hashes [i·2^j, (i+1)·2^j)
    // of level l, which lie in one tile.
    const uint32_t level = id.level / 8;
    const uint32_t span = 1u << (id.level % 8);
    const uint64_t first = id.index * span;
    ASSIGN_OR_RETURN(std::shared_ptr<const Hashes> tile,
                     HashTile(level, first / kTileWidth));
    const size_t offset = first % kTileWidth;
    if (offset + span > tile->size()) {
      return absl::InternalError(
          absl::StrCat("node ", id.ToString(), ": beyond its tile's width"));
    }
    out.push_back(
        PerfectHash(absl::MakeConstSpan(tile->data() + offset, span)));
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const std::vector<std::string>>>
TileTree::Bundle(uint64_t index) {
  ASSIGN_OR_RETURN(std::shared_ptr<const VerifiedBundle> bundle,
                   BundleWithHashes(index));
  // Shares the bundle's ownership; points at its leaves.
  const std::vector<std::string>* leaves = &bundle->leaves;
  return std::shared_ptr<const std::vector<std::string>>(std::move(bundle),
                                                         leaves);
}

absl::StatusOr<std::shared_ptr<const TileTree::VerifiedBundle>>
TileTree::BundleWithHashes(uint64_t index) {
  if (bundle_ != nullptr && bundle_index_ == index) return bundle_;
  const uint64_t full_bundles = size_ / kTileWidth;
  const uint32_t width =
      index < full_bundles
          ? kTileWidth
          : (index == full_bundles ? PartialWidth(size_, 0) : 0);
  if (width == 0) {
    return absl::OutOfRangeError(absl::StrCat(
        "entry bundle ", index, ": not in the tree of size ", size_));
  }
  const TileId tile{true, 0, index, width};
  ASSIGN_OR_RETURN(std::string body,
                   Fetch(tile, kMaxBundleBytes / kTileWidth * width));
  absl::StatusOr<std::vector<std::string>> leaves =
      ledger::tiles::ParseEntryBundle(body);
  if (!leaves.ok()) {
    return absl::DataLossError(absl::StrCat("entry bundle ", Url(tile), ": ",
                                            leaves.status().message()));
  }
  // A full bundle fetched in place of a partial one: keep its prefix.
  if (leaves->size() == kTileWidth && width < kTileWidth) leaves->resize(width);
  if (leaves->size() != width) {
    return absl::DataLossError(absl::StrCat("entry bundle ", Url(tile), ": ",
                                            leaves->size(), " entries, want ",
                                            width));
  }
  Hashes leaf_hashes;
  leaf_hashes.reserve(width);
  for (const std::string& leaf : *leaves) {
    leaf_hashes.push_back(ledger::merkle::HashLeaf(leaf));
  }
  if (width == kTileWidth) {
    // One comparison for the whole bundle: its subtree hash, from level 1.
    ASSIGN_OR_RETURN(std::vector<Hash> expected, ReadNodes({NodeId{8, index}}));
    if (PerfectHash(leaf_hashes) != expected[0]) {
      return LocateBadLeaf(index, leaf_hashes);
    }
  } else {
    const Hashes& level0 = *partials_[0];
    for (uint32_t k = 0; k < width; ++k) {
      if (leaf_hashes[k] != level0[k]) {
        return absl::DataLossError(absl::StrCat(
            "leaf ", index * kTileWidth + k, " of entry bundle ", Url(tile),
            " does not match its hash in ", Url(TileId{false, 0, index, width}),
            " (the entry was changed)"));
      }
    }
  }
  bundle_index_ = index;
  bundle_ = std::make_shared<const VerifiedBundle>(
      VerifiedBundle{*std::move(leaves), std::move(leaf_hashes)});
  return bundle_;
}

absl::Status TileTree::LocateBadLeaf(uint64_t index,
                                     const Hashes& leaf_hashes) {
  const TileId bundle{true, 0, index, kTileWidth};
  const TileId tile{false, 0, index, kTileWidth};
  ASSIGN_OR_RETURN(std::shared_ptr<const Hashes> level0, HashTile(0, index));
  for (uint32_t k = 0; k < kTileWidth; ++k) {
    if (leaf_hashes[k] != (*level0)[k]) {
      return absl::DataLossError(
          absl::StrCat("leaf ", index * kTileWidth + k, " of entry bundle ",
                       Url(bundle), " does not match its hash in ", Url(tile),
                       " (the entry was changed)"));
    }
  }
  return absl::DataLossError(absl::StrCat("entry bundle ", Url(bundle),
                                          " does not match the tree of size ",
                                          size_));
}

}  // namespace api::client
