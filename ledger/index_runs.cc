#include "ledger/index_runs.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/byte_io.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/node_id.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_leaves.h"

namespace ledger {

using merkle::Hash;
using storage::Family;

absl::StatusOr<std::unique_ptr<IndexRuns>> IndexRuns::Load(
    const storage::Store* store, merkle::NodeReader& tree, uint64_t tree_size,
    uint64_t run_leaves) {
  auto index = std::unique_ptr<IndexRuns>(
      new IndexRuns(store, std::max<uint64_t>(1, run_leaves)));
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   store->Get(Family::kMeta, keys::kIndexSize));
  absl::MutexLock lock(&index->mu_);
  if (!stored.has_value()) {
    index->stored_size_ = tree_size;
    index->needs_size_record_ = true;
    return index;
  }
  if (stored->size() != 8 || entry::DecodeU64(*stored) > tree_size) {
    return absl::DataLossError(
        absl::StrCat("the stored index size is malformed or beyond the tree (",
                     tree_size, " leaves)"));
  }
  index->stored_size_ = entry::DecodeU64(*stored);
  // Rebuild the newer leaves' part: 256 leaves at a time, their hashes read
  // as a proof would (one block per read, none for cached blocks).
  constexpr uint64_t kPerRead = 256;
  std::vector<merkle::NodeId> ids;
  for (uint64_t first = index->stored_size_; first < tree_size;
       first += kPerRead) {
    const uint64_t end = std::min(tree_size, first + kPerRead);
    ids.clear();
    for (uint64_t i = first; i < end; ++i) ids.push_back(merkle::NodeId{0, i});
    ASSIGN_OR_RETURN(std::vector<Hash> hashes, tree.ReadNodes(ids));
    absl::StatusOr<std::vector<std::string>> leaves =
        ReadStoredLeaves(*store, first, end);
    if (!leaves.ok()) {
      return absl::Status(
          leaves.status().code(),
          absl::StrCat(leaves.status().message(), " (rebuilding the index)"));
    }
    for (uint64_t i = first; i < end; ++i) {
      auto leaf = entry::ParseLeaf((*leaves)[i - first]);
      auto envelope = leaf.ok()
                          ? entry::ParseEnvelope(leaf->envelope)
                          : absl::StatusOr<entry::Envelope>(leaf.status());
      if (!envelope.ok()) {
        return absl::DataLossError(absl::StrCat(
            "leaf ", i,
            " (rebuilding the index): ", envelope.status().message()));
      }
      index->AddLocked(i,
                       Leaf{hashes[i - first], crypto::KeyId(envelope->key_id),
                            envelope->sequence});
    }
  }
  return index;
}

void IndexRuns::AddLocked(uint64_t index, const Leaf& leaf) {
  by_hash_.insert({leaf.leaf_hash, index});
  by_sequence_.insert({{leaf.key_id, leaf.sequence}, index});
}

IndexRuns::Staged IndexRuns::Stage(uint64_t first, std::vector<Leaf> leaves,
                                   storage::Batch* batch) const {
  Staged staged;
  staged.first = first;
  staged.leaves = std::move(leaves);
  const uint64_t end = first + staged.leaves.size();
  absl::ReaderMutexLock lock(&mu_);
  if (by_hash_.size() + staged.leaves.size() < run_leaves_) {
    if (needs_size_record_)
      batch->Put(Family::kMeta, keys::kIndexSize, entry::U64Key(stored_size_));
    return staged;
  }
  // Each map in key order, so that the memtable inserts walk forward.
  std::vector<std::pair<Hash, uint64_t>> hashes(by_hash_.begin(),
                                                by_hash_.end());
  std::vector<std::pair<std::pair<crypto::KeyId, uint64_t>, uint64_t>>
      sequences(by_sequence_.begin(), by_sequence_.end());
  for (uint64_t i = first; i < end; ++i) {
    const Leaf& leaf = staged.leaves[i - first];
    hashes.emplace_back(leaf.leaf_hash, i);
    sequences.push_back({{leaf.key_id, leaf.sequence}, i});
  }
  std::sort(hashes.begin(), hashes.end());
  std::sort(sequences.begin(), sequences.end());
  for (const auto& [hash, i] : hashes)
    batch->Put(Family::kIndex, keys::LeafHash(hash), entry::U64Key(i));
  for (const auto& [key, i] : sequences) {
    batch->Put(Family::kIndex, keys::Sequence(key.first, key.second),
               entry::U64Key(i));
  }
  batch->Put(Family::kMeta, keys::kIndexSize, entry::U64Key(end));
  staged.wrote_run = true;
  return staged;
}

void IndexRuns::Apply(Staged staged) {
  absl::MutexLock lock(&mu_);
  needs_size_record_ = false;
  if (staged.wrote_run) {
    by_hash_.clear();
    by_sequence_.clear();
    stored_size_ = staged.first + staged.leaves.size();
    return;
  }
  for (size_t k = 0; k < staged.leaves.size(); ++k)
    AddLocked(staged.first + k, staged.leaves[k]);
}

namespace {

// A stored index value: u64 leaf index.
absl::StatusOr<std::optional<uint64_t>> ReadStored(const storage::Store& store,
                                                   const std::string& key,
                                                   absl::string_view what) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   store.Get(Family::kIndex, key));
  if (!stored.has_value()) return std::nullopt;
  if (stored->size() != 8) {
    return absl::DataLossError(
        absl::StrCat("the index entry of ", what, " is malformed"));
  }
  return entry::DecodeU64(*stored);
}

}  // namespace

// Both Find functions look in memory first, then in RocksDB: a run is
// durable before Apply empties the memory, so a leaf is always in one of
// them once applied.
absl::StatusOr<std::optional<uint64_t>> IndexRuns::FindLeafHash(
    const Hash& leaf_hash) const {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_hash_.find(leaf_hash);
    if (it != by_hash_.end()) return it->second;
  }
  return ReadStored(*store_, keys::LeafHash(leaf_hash),
                    absl::StrCat("leaf hash ", merkle::HashToHex(leaf_hash)));
}

absl::StatusOr<std::optional<uint64_t>> IndexRuns::FindSequence(
    const crypto::KeyId& key_id, uint64_t sequence) const {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_sequence_.find({key_id, sequence});
    if (it != by_sequence_.end()) return it->second;
  }
  return ReadStored(
      *store_, keys::Sequence(key_id, sequence),
      absl::StrCat("sequence ", sequence, " of key ", key_id.ToString()));
}

size_t IndexRuns::MemoryBytes() const {
  absl::ReaderMutexLock lock(&mu_);
  return by_hash_.capacity() * (sizeof(Hash) + sizeof(uint64_t) + 1) +
         by_sequence_.capacity() *
             (sizeof(crypto::KeyId) + 2 * sizeof(uint64_t) + 1);
}

}  // namespace ledger
