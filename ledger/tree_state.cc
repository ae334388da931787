#include "ledger/tree_state.h"

#include <cstring>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "ledger/entry/byte_io.h"

namespace ledger {
namespace {

using merkle::Hash;
using merkle::NodeId;

bool IsZero(const char* p) {
  for (size_t i = 0; i < merkle::kHashSize; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

std::string BlockKey(uint64_t block) {
  std::string key = "b";
  entry::PutU64(&key, block);
  return key;
}

std::string UpperNodeKey(uint32_t level, uint64_t index) {
  std::string key = "u";
  key.push_back(static_cast<char>(level));
  entry::PutU64(&key, index);
  return key;
}

size_t BlockSlotOffset(uint32_t level, uint64_t index) {
  const uint64_t level_start =
      (2 * kBlockLeaves) - ((2 * kBlockLeaves) >> level);
  const uint64_t within = index & ((kBlockLeaves >> level) - 1);
  return (level_start + within) * merkle::kHashSize;
}

absl::StatusOr<std::unique_ptr<TreeState>> TreeState::Load(
    const storage::Store* store, uint64_t size) {
  auto state = std::unique_ptr<TreeState>(new TreeState(store));
  // The upper levels: one small value per node at level ≥ 8.
  absl::Status scan_error;
  absl::Status s = store->Scan(
      storage::Family::kTree, "u", "v",
      [&](absl::string_view key, absl::string_view value) {
        if (key.size() != 10 || value.size() != merkle::kHashSize) {
          scan_error =
              absl::DataLossError("malformed upper tree node in storage");
          return false;
        }
        const uint32_t level = static_cast<uint8_t>(key[1]);
        const uint64_t index = entry::DecodeU64(key.substr(2));
        if (level < kBlockHeight || level >= 64) {
          scan_error = absl::DataLossError(
              absl::StrCat("upper tree node at level ", level));
          return false;
        }
        auto& row = state->upper_.size() > level - kBlockHeight
                        ? state->upper_[level - kBlockHeight]
                        : (state->upper_.resize(level - kBlockHeight + 1),
                           state->upper_[level - kBlockHeight]);
        if (index != row.size()) {
          scan_error = absl::DataLossError(
              absl::StrCat("upper tree node (", level, ", ", index,
                           ") out of order: nodes are missing"));
          return false;
        }
        Hash h;
        std::memcpy(h.data(), value.data(), h.size());
        row.push_back(h);
        return true;
      });
  if (!s.ok()) return s;
  if (!scan_error.ok()) return scan_error;
  // Nodes past `size` can exist only if a newer tree was stored than the
  // size we were told; drop them from the cache (they are not committed).
  for (uint32_t i = 0; i < state->upper_.size(); ++i) {
    const uint64_t complete = size >> (kBlockHeight + i);
    if (state->upper_[i].size() < complete) {
      return absl::DataLossError(absl::StrCat("tree level ", kBlockHeight + i,
                                              " has ", state->upper_[i].size(),
                                              " nodes, want ", complete));
    }
    state->upper_[i].resize(complete);
  }
  // The partial last block.
  state->block_ = size >> kBlockHeight;
  state->block_bytes_.assign(kBlockBytes, '\0');
  if (size % kBlockLeaves != 0) {
    auto stored = store->Get(storage::Family::kTree, BlockKey(state->block_));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value() || (*stored)->size() != kBlockBytes) {
      return absl::DataLossError(
          absl::StrCat("tree block ", state->block_, " is missing"));
    }
    state->block_bytes_ = std::move(**stored);
  }
  // The frontier, read through the same path proofs use.
  const std::vector<NodeId> ids = merkle::CompactRange::FrontierNodeIds(size);
  auto hashes = state->ReadNodesOfTree(ids, size);
  if (!hashes.ok()) return hashes.status();
  auto range = merkle::CompactRange::FromFrontier(size, std::move(*hashes));
  if (!range.ok()) return absl::DataLossError(range.status().message());
  state->range_ = std::move(*range);
  return state;
}

absl::StatusOr<Hash> TreeState::RootAt(uint64_t size) {
  if (size > this->size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("size: got ", size, ", want ≤ tree size ", this->size()));
  }
  if (size == this->size()) return Root();
  auto hashes = ReadNodes(merkle::CompactRange::FrontierNodeIds(size));
  if (!hashes.ok()) return hashes.status();
  return merkle::FoldSubtrees(*hashes);
}

PendingAppend TreeState::StageAppend(absl::Span<const Hash> leaf_hashes,
                                     storage::Batch* batch) const {
  PendingAppend p{range_, block_, block_bytes_, {}};
  std::vector<std::pair<NodeId, Hash>> completed;
  for (const Hash& leaf : leaf_hashes) {
    completed.clear();
    p.range.Append(leaf, &completed);
    for (const auto& [id, hash] : completed) {
      if (id.level <= kBlockHeight) {
        const uint64_t block = id.index >> (kBlockHeight - id.level);
        if (block != p.block) {
          // Leaves arrive in order, so the old block is complete: persist it.
          batch->Put(storage::Family::kTree, BlockKey(p.block), p.block_bytes);
          p.block = block;
          p.block_bytes.assign(kBlockBytes, '\0');
        }
        std::memcpy(&p.block_bytes[BlockSlotOffset(id.level, id.index)],
                    hash.data(), hash.size());
      }
      if (id.level >= kBlockHeight) {
        batch->Put(storage::Family::kTree, UpperNodeKey(id.level, id.index),
                   absl::string_view(reinterpret_cast<const char*>(hash.data()),
                                     hash.size()));
        p.upper_nodes.push_back({id, hash});
      }
    }
  }
  if (!leaf_hashes.empty())
    batch->Put(storage::Family::kTree, BlockKey(p.block), p.block_bytes);
  // A block that just completed hands over to a fresh, empty one.
  if (p.range.size() % kBlockLeaves == 0 &&
      p.range.size() >> kBlockHeight != p.block) {
    p.block = p.range.size() >> kBlockHeight;
    p.block_bytes.assign(kBlockBytes, '\0');
  }
  return p;
}

void TreeState::Apply(PendingAppend pending) {
  range_ = std::move(pending.range);
  block_ = pending.block;
  block_bytes_ = std::move(pending.block_bytes);
  for (const auto& [id, hash] : pending.upper_nodes) {
    const size_t row = id.level - kBlockHeight;
    if (upper_.size() <= row) upper_.resize(row + 1);
    // Nodes complete in index order, so each is the next of its row.
    upper_[row].push_back(hash);
  }
}

absl::StatusOr<std::vector<Hash>> TreeState::ReadNodes(
    absl::Span<const NodeId> ids) {
  return ReadNodesOfTree(ids, size());
}

absl::StatusOr<std::vector<Hash>> TreeState::ReadNodesOfTree(
    absl::Span<const NodeId> ids, uint64_t tree_size) {
  std::vector<Hash> out;
  out.reserve(ids.size());
  // Most proofs touch one block; a consistency proof may touch two.
  absl::flat_hash_map<uint64_t, std::string> blocks;
  for (const NodeId& id : ids) {
    if (id.level >= 64 || id.index >= (tree_size >> id.level)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "node ", id.ToString(), " is not in the tree of size ", tree_size));
    }
    if (id.level >= kBlockHeight) {
      const size_t row = id.level - kBlockHeight;
      if (row >= upper_.size() || id.index >= upper_[row].size()) {
        return absl::DataLossError(
            absl::StrCat("tree node ", id.ToString(), " is missing"));
      }
      out.push_back(upper_[row][id.index]);
      continue;
    }
    const uint64_t block = id.index >> (kBlockHeight - id.level);
    const std::string* bytes = nullptr;
    if (block == block_) {
      bytes = &block_bytes_;
    } else {
      auto it = blocks.find(block);
      if (it == blocks.end()) {
        auto stored = store_->Get(storage::Family::kTree, BlockKey(block));
        if (!stored.ok()) return stored.status();
        if (!stored->has_value() || (*stored)->size() != kBlockBytes) {
          return absl::DataLossError(
              absl::StrCat("tree block ", block, " is missing"));
        }
        it = blocks.emplace(block, std::move(**stored)).first;
      }
      bytes = &it->second;
    }
    const char* p = bytes->data() + BlockSlotOffset(id.level, id.index);
    if (IsZero(p)) {
      return absl::DataLossError(
          absl::StrCat("tree node ", id.ToString(), " is missing"));
    }
    Hash h;
    std::memcpy(h.data(), p, h.size());
    out.push_back(h);
  }
  return out;
}

size_t TreeState::MemoryBytes() const {
  size_t n = block_bytes_.capacity();
  for (const auto& row : upper_) n += row.capacity() * sizeof(Hash);
  return n;
}

}  // namespace ledger
