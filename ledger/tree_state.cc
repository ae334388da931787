#include "ledger/tree_state.h"

#include <algorithm>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
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

// The complete block that holds node `id` (of a level below kBlockHeight).
uint64_t BlockOf(const NodeId& id) {
  return id.index >> (kBlockHeight - id.level);
}

// Copies node `id` out of the bytes of its block into *out.
absl::Status CopySlot(const char* block_data, const NodeId& id, Hash* out) {
  const char* p = block_data + BlockSlotOffset(id.level, id.index);
  if (IsZero(p)) {
    return absl::DataLossError(
        absl::StrCat("tree node ", id.ToString(), " is missing"));
  }
  std::memcpy(out->data(), p, merkle::kHashSize);
  return absl::OkStatus();
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

std::string TailKey(uint64_t block, uint32_t first) {
  std::string key = "t";
  entry::PutU64(&key, block);
  key.push_back(static_cast<char>(first));
  return key;
}

size_t BlockSlotOffset(uint32_t level, uint64_t index) {
  const uint64_t level_start =
      (2 * kBlockLeaves) - ((2 * kBlockLeaves) >> level);
  const uint64_t within = index & ((kBlockLeaves >> level) - 1);
  return (level_start + within) * merkle::kHashSize;
}

absl::StatusOr<std::unique_ptr<TreeState>> TreeState::Load(
    const storage::Store* store, uint64_t size, size_t recent_blocks) {
  auto state = std::unique_ptr<TreeState>(new TreeState(store, recent_blocks));
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
    RETURN_IF_ERROR(
        state->LoadPartialBlock(static_cast<uint32_t>(size % kBlockLeaves)));
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

absl::Status TreeState::LoadPartialBlock(uint32_t leaves) {
  std::string prefix = "t";
  entry::PutU64(&prefix, block_);
  std::string end = "t";
  entry::PutU64(&end, block_ + 1);
  uint32_t covered = 0;
  absl::Status scan_error;
  RETURN_IF_ERROR(store_->Scan(
      storage::Family::kTree, prefix, end,
      [&](absl::string_view key, absl::string_view value) {
        const uint32_t first = static_cast<uint8_t>(key.back());
        const size_t count = value.size() / merkle::kHashSize;
        if (key.size() != prefix.size() + 1 || count == 0 ||
            value.size() % merkle::kHashSize != 0 || first != covered ||
            first + count > kBlockLeaves) {
          scan_error = absl::DataLossError(
              absl::StrCat("tree block ", block_,
                           ": malformed or out-of-order leaf hashes "
                           "at leaf ",
                           first, " (want ", covered, ")"));
          return false;
        }
        tail_starts_.push_back(first);
        const size_t used = std::min<size_t>(count, leaves - first);
        std::memcpy(&block_bytes_[BlockSlotOffset(0, first)], value.data(),
                    used * merkle::kHashSize);
        covered = first + static_cast<uint32_t>(count);
        return covered < leaves;
      }));
  RETURN_IF_ERROR(scan_error);
  if (tail_starts_.empty()) {
    // Written by a version that rewrote the partial block in every group.
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     store_->Get(storage::Family::kTree, BlockKey(block_)));
    if (!stored.has_value() || stored->size() != kBlockBytes) {
      return absl::DataLossError(
          absl::StrCat("tree block ", block_, " is missing"));
    }
    block_bytes_ = std::move(*stored);
    // Its next "t" value starts at leaf 0, so the block's leaf hashes are
    // all in "t" values from then on.
    tail_persisted_ = 0;
    return absl::OkStatus();
  }
  if (covered < leaves) {
    return absl::DataLossError(absl::StrCat("tree block ", block_,
                                            ": the hashes of leaves ", covered,
                                            "..", leaves, " are missing"));
  }
  tail_persisted_ = leaves;
  // Inner nodes of the perfect subtrees within the first `leaves` leaves.
  for (uint32_t level = 1; level < kBlockHeight; ++level) {
    for (uint64_t i = 0; i < (leaves >> level); ++i) {
      Hash left, right;
      std::memcpy(left.data(), &block_bytes_[BlockSlotOffset(level - 1, 2 * i)],
                  left.size());
      std::memcpy(right.data(),
                  &block_bytes_[BlockSlotOffset(level - 1, 2 * i + 1)],
                  right.size());
      const Hash node = merkle::HashChildren(left, right);
      std::memcpy(&block_bytes_[BlockSlotOffset(level, i)], node.data(),
                  node.size());
    }
  }
  return absl::OkStatus();
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
  PendingAppend p;
  p.range = range_;
  p.block = block_;
  p.block_bytes = block_bytes_;
  p.tail_starts = tail_starts_;
  p.tail_persisted = tail_persisted_;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (const Hash& leaf : leaf_hashes) {
    completed.clear();
    p.range.Append(leaf, &completed);
    // `completed` lists the leaf first, then the nodes it completes upwards.
    for (const auto& [id, hash] : completed) {
      if (id.level <= kBlockHeight) {
        std::memcpy(&p.block_bytes[BlockSlotOffset(id.level, id.index)],
                    hash.data(), hash.size());
      }
      if (id.level == kBlockHeight) {
        // The block is complete: store it whole, once, drop its leaf-hash
        // values and start the next one.
        batch->Put(storage::Family::kTree, BlockKey(p.block), p.block_bytes);
        if (!recent_.empty())
          p.completed_blocks.push_back({p.block, p.block_bytes});
        for (uint32_t first : p.tail_starts)
          batch->Delete(storage::Family::kTree, TailKey(p.block, first));
        p.block = id.index + 1;
        p.block_bytes.assign(kBlockBytes, '\0');
        p.tail_starts.clear();
        p.tail_persisted = 0;
      }
      if (id.level >= kBlockHeight) {
        batch->Put(storage::Family::kTree, UpperNodeKey(id.level, id.index),
                   absl::string_view(reinterpret_cast<const char*>(hash.data()),
                                     hash.size()));
        p.upper_nodes.push_back({id, hash});
      }
    }
  }
  const uint32_t leaves = static_cast<uint32_t>(p.range.size() % kBlockLeaves);
  if (leaves > p.tail_persisted) {
    // The leaf hashes of the partial block not yet stored: level 0 is the
    // start of the block value, so they are contiguous there.
    batch->Put(storage::Family::kTree, TailKey(p.block, p.tail_persisted),
               absl::string_view(p.block_bytes)
                   .substr(BlockSlotOffset(0, p.tail_persisted),
                           (leaves - p.tail_persisted) * merkle::kHashSize));
    p.tail_starts.push_back(p.tail_persisted);
    p.tail_persisted = leaves;
  }
  return p;
}

void TreeState::Apply(PendingAppend pending) {
  range_ = std::move(pending.range);
  block_ = pending.block;
  block_bytes_ = std::move(pending.block_bytes);
  tail_starts_ = std::move(pending.tail_starts);
  tail_persisted_ = pending.tail_persisted;
  for (const auto& [block, bytes] : pending.completed_blocks)
    CacheBlock(block, bytes);
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
  std::vector<Hash> out(ids.size());
  // Stored blocks to read; most proofs touch one, a consistency proof two.
  absl::InlinedVector<uint64_t, 2> blocks;
  uint64_t hits = 0, misses = 0;  // node reads of complete blocks
  for (size_t k = 0; k < ids.size();) {
    const NodeId& id = ids[k];
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
      out[k++] = upper_[row][id.index];
      continue;
    }
    const uint64_t block = BlockOf(id);
    if (block == block_) {
      RETURN_IF_ERROR(CopySlot(block_bytes_.data(), id, &out[k++]));
      continue;
    }
    // The run of ids in this block (a proof lists a block's nodes together,
    // leaf side first). The first lies in the tree and not in the partial
    // block, so the block is complete and holds every node of the run.
    size_t run_end = k + 1;
    while (run_end < ids.size() && ids[run_end].level < kBlockHeight &&
           BlockOf(ids[run_end]) == block) {
      ++run_end;
    }
    const absl::Span<const NodeId> run = ids.subspan(k, run_end - k);
    ASSIGN_OR_RETURN(const bool cached, CopyRunFromCache(block, run, &out[k]));
    if (cached) {
      hits += run.size();
    } else {
      misses += run.size();
      if (std::find(blocks.begin(), blocks.end(), block) == blocks.end()) {
        blocks.push_back(block);
      }
    }
    k = run_end;
  }
  cache_hits_.fetch_add(hits, std::memory_order_relaxed);
  cache_misses_.fetch_add(misses, std::memory_order_relaxed);
  RETURN_IF_ERROR(ReadNodesFromStoredBlocks(ids, blocks, &out));
  return out;
}

absl::StatusOr<bool> TreeState::CopyRunFromCache(uint64_t block,
                                                 absl::Span<const NodeId> run,
                                                 Hash* out) const {
  if (recent_.empty()) return false;
  CachedBlock& slot = recent_[block % recent_.size()];
  // One lock per block, not per node (a lock's atomic also keeps the CPU
  // from overlapping the node loads), and every node's cache line asked for
  // before the first is copied: the ~8 nodes of a proof lie at different
  // levels of a 16 KiB block, each a cache miss at 10M entries, and they
  // then cost about one miss instead of eight.
  absl::MutexLock lock(&slot.mu);
  if (slot.block != block) return false;
  const char* data = slot.bytes.data();
  for (const NodeId& id : run) {
    __builtin_prefetch(data + BlockSlotOffset(id.level, id.index));
  }
  for (size_t i = 0; i < run.size(); ++i) {
    RETURN_IF_ERROR(CopySlot(data, run[i], &out[i]));
  }
  return true;
}

absl::Status TreeState::ReadNodesFromStoredBlocks(
    absl::Span<const NodeId> ids, absl::Span<const uint64_t> blocks,
    std::vector<Hash>* out) {
  // Copy only the needed 32-byte slots out of each pinned block value.
  for (const uint64_t block : blocks) {
    absl::Status slot_error;
    ASSIGN_OR_RETURN(
        const bool found,
        store_->GetPinned(
            storage::Family::kTree, BlockKey(block),
            [&](absl::string_view value) {
              if (value.size() != kBlockBytes) {
                slot_error = absl::DataLossError(
                    absl::StrCat("tree block ", block, " has ", value.size(),
                                 " bytes, want ", kBlockBytes));
                return;
              }
              for (size_t k = 0; k < ids.size() && slot_error.ok(); ++k) {
                if (ids[k].level < kBlockHeight && BlockOf(ids[k]) == block)
                  slot_error = CopySlot(value.data(), ids[k], &(*out)[k]);
              }
              if (slot_error.ok()) CacheBlock(block, value);
            }));
    if (!found) {
      return absl::DataLossError(
          absl::StrCat("tree block ", block, " is missing"));
    }
    RETURN_IF_ERROR(slot_error);
  }
  return absl::OkStatus();
}

void TreeState::CacheBlock(uint64_t block, absl::string_view bytes) {
  // Only the most recent blocks: older ones would evict them in turn.
  if (recent_.empty() || block + recent_.size() < block_) return;
  CachedBlock& slot = recent_[block % recent_.size()];
  absl::MutexLock lock(&slot.mu);
  if (slot.block == block) return;
  slot.block = block;
  slot.bytes.assign(bytes.data(), bytes.size());
}

size_t TreeState::MemoryBytes() const {
  size_t n = block_bytes_.capacity();
  for (CachedBlock& slot : recent_) {
    absl::MutexLock lock(&slot.mu);
    n += slot.bytes.capacity();
  }
  for (const auto& row : upper_) n += row.capacity() * sizeof(Hash);
  return n;
}

}  // namespace ledger
