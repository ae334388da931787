#include "ledger/stored_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/derived_state_check.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_leaves.h"
#include "ledger/stored_log_keys.h"

namespace ledger {

using merkle::Hash;
using storage::Family;

absl::StatusOr<std::optional<uint64_t>> ReadSimulatedClockMark(
    const storage::Store& store) {
  ASSIGN_OR_RETURN(std::optional<std::string> mark,
                   store.Get(Family::kMeta, keys::kSimulatedClock));
  if (!mark.has_value()) return std::optional<uint64_t>();
  if (mark->size() != 8) {
    return absl::DataLossError(absl::StrCat("meta simulated_clock: got ",
                                            mark->size(), " bytes, want 8"));
  }
  return std::optional<uint64_t>(entry::DecodeU64(*mark));
}

absl::StatusOr<std::unique_ptr<StoredLog>> StoredLog::Load(
    std::unique_ptr<storage::Store> store, const LedgerOptions& options,
    const std::optional<crypto::PublicKey>& loaded_log_key) {
  auto log = std::unique_ptr<StoredLog>(new StoredLog());
  log->store_ = std::move(store);
  const storage::Store& db = *log->store_;
  ASSIGN_OR_RETURN(std::optional<std::string> origin,
                   db.Get(Family::kMeta, keys::kOrigin));
  if (!origin.has_value()) {
    return absl::DataLossError(
        "the ledger database has no origin: not a ledger, or damaged");
  }
  log->origin_ = *origin;
  ASSIGN_OR_RETURN(std::optional<std::string> size,
                   db.Get(Family::kMeta, keys::kTreeSize));
  const uint64_t tree_size = size.has_value() ? entry::DecodeU64(*size) : 0;
  ASSIGN_OR_RETURN(std::optional<std::string> log_pub,
                   db.Get(Family::kMeta, keys::kLogPublicKey));
  if (log_pub.has_value()) {
    auto pub = crypto::PublicKey::FromBytes(*log_pub);
    if (!pub.ok())
      return absl::DataLossError("the stored log public key is invalid");
    log->created_log_key_ = *pub;
  } else if (loaded_log_key.has_value()) {
    log->created_log_key_ = *loaded_log_key;
  } else {
    return absl::DataLossError("the ledger database has no log public key");
  }
  {
    absl::MutexLock lock(&log->tree_mu_);
    ASSIGN_OR_RETURN(log->tree_,
                     TreeState::Load(&db, tree_size,
                                     options.tree_cache_bytes / kBlockBytes));
    ASSIGN_OR_RETURN(log->indexes_, IndexRuns::Load(&db, *log->tree_, tree_size,
                                                    options.index_run_leaves));
  }
  {
    ASSIGN_OR_RETURN(LogKeyHistory history, ReadLogKeyHistory(db));
    absl::MutexLock lock(&log->log_keys_mu_);
    log->log_keys_ = std::move(history);
  }
  RETURN_IF_ERROR(log->LoadLatestCheckpoint());
  ASSIGN_OR_RETURN(log->simulated_clock_since_, ReadSimulatedClockMark(db));
  return log;
}

absl::Status StoredLog::LoadLatestCheckpoint() {
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   store_->Get(Family::kMeta, keys::kLatestCheckpoint));
  if (!note.has_value() || note->empty()) return absl::OkStatus();
  auto fields = VerifyCheckpointNote(*note);
  if (!fields.ok()) {
    return absl::DataLossError(
        absl::StrCat("the latest stored checkpoint does not verify: ",
                     fields.status().message()));
  }
  const uint64_t size = Size();
  if (fields->size > size) {
    return absl::DataLossError(
        absl::StrCat("the latest checkpoint has size ", fields->size,
                     " but the stored tree has only ", size, " leaves"));
  }
  ASSIGN_OR_RETURN(Hash root, RootAt(fields->size));
  if (root != fields->root) {
    return absl::DataLossError(absl::StrCat(
        "the stored tree does not match the latest checkpoint: at size ",
        fields->size, " the checkpoint says root ",
        merkle::HashToBase64(fields->root), ", the tree gives ",
        merkle::HashToBase64(root)));
  }
  SetLatestCheckpoint(std::move(*note), fields->size);
  return absl::OkStatus();
}

uint64_t StoredLog::Size() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->size();
}

crypto::PublicKey StoredLog::log_public_key() const {
  absl::MutexLock lock(&log_keys_mu_);
  return log_keys_.empty() ? *created_log_key_ : log_keys_.current().key;
}

std::string StoredLog::VerifierKey() const {
  return LogVerifierKey(origin_, log_public_key());
}

LogKeyHistory StoredLog::LogKeys() const {
  absl::MutexLock lock(&log_keys_mu_);
  return log_keys_;
}

absl::StatusOr<CheckpointFields> StoredLog::VerifyCheckpointNote(
    absl::string_view note) const {
  const LogKeyHistory history = LogKeys();
  if (history.empty()) return VerifyCheckpoint(note, origin_, log_public_key());
  return history.VerifyCheckpoint(note, origin_, /*handover=*/false);
}

absl::StatusOr<std::string> StoredLog::LatestCheckpoint() const {
  absl::ReaderMutexLock lock(&latest_mu_);
  if (latest_checkpoint_.empty())
    return absl::NotFoundError("no checkpoint published yet");
  return latest_checkpoint_;
}

uint64_t StoredLog::LatestCheckpointSize() const {
  absl::ReaderMutexLock lock(&latest_mu_);
  return latest_checkpoint_size_;
}

absl::StatusOr<std::string> StoredLog::CheckpointAt(uint64_t size) const {
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   store_->Get(Family::kMeta, keys::CheckpointAt(size)));
  if (!note.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no checkpoint was published at size ", size));
  }
  return *note;
}

absl::StatusOr<std::optional<uint64_t>> StoredLog::FirstCheckpointAfter(
    uint64_t leaf) const {
  ASSIGN_OR_RETURN(std::vector<uint64_t> sizes, CheckpointSizesAfter(leaf, 1));
  if (sizes.empty()) return std::nullopt;
  return sizes.front();
}

absl::StatusOr<std::vector<uint64_t>> StoredLog::CheckpointSizesAfter(
    uint64_t after, size_t max) const {
  std::vector<uint64_t> sizes;
  if (max == 0 || after == UINT64_MAX) return sizes;
  const size_t key_size = keys::CheckpointAt(0).size();
  const size_t prefix_size = key_size - 8;
  // "checkpoint0" is the first key after every "checkpoint/" ‖ u64.
  RETURN_IF_ERROR(store_->Scan(
      Family::kMeta, keys::CheckpointAt(after + 1), "checkpoint0",
      [&](absl::string_view key, absl::string_view) {
        if (key.size() == key_size) {
          sizes.push_back(entry::DecodeU64(key.substr(prefix_size)));
        }
        return sizes.size() < max;
      }));
  return sizes;
}

CheckpointFields StoredLog::CurrentTree() const {
  absl::ReaderMutexLock tree_lock(&tree_mu_);
  return CheckpointFields{origin_, tree_->size(), tree_->Root()};
}

absl::StatusOr<std::string> StoredLog::GetLeaf(uint64_t index) const {
  const uint64_t size = Size();
  if (index >= size) {
    return absl::OutOfRangeError(
        absl::StrCat("index: got ", index, ", want < tree size ", size));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> leaf,
                   store_->Get(Family::kLeaves, keys::Leaf(index)));
  if (!leaf.has_value())
    return absl::DataLossError(absl::StrCat("leaf ", index, " is missing"));
  return *leaf;
}

absl::StatusOr<std::vector<std::string>> StoredLog::GetLeaves(
    uint64_t start, uint64_t count) const {
  if (count > kMaxLeavesPerRead) {
    return absl::InvalidArgumentError(
        absl::StrCat("count: got ", count, ", want ≤ ", kMaxLeavesPerRead));
  }
  const uint64_t size = Size();
  if (start >= size && count > 0) {
    return absl::OutOfRangeError(
        absl::StrCat("start: got ", start, ", want < tree size ", size));
  }
  return ReadStoredLeaves(*store_, start, std::min(size, start + count));
}

absl::StatusOr<uint64_t> StoredLog::FindLeafByHash(
    const Hash& leaf_hash) const {
  ASSIGN_OR_RETURN(std::optional<uint64_t> index,
                   indexes_->FindLeafHash(leaf_hash));
  if (!index.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "no leaf with hash ", merkle::HashToHex(leaf_hash), " in the log"));
  }
  if (*index >= Size())
    return absl::NotFoundError("that leaf is not yet committed");
  return *index;
}

absl::StatusOr<std::vector<Hash>> StoredLog::InclusionProof(
    uint64_t index, uint64_t size) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  if (size > tree_->size()) {
    return absl::OutOfRangeError(
        absl::StrCat("size: got ", size, ", want ≤ tree size ", tree_->size()));
  }
  return merkle::InclusionProof(index, size, *tree_, &proof_folds_);
}

absl::StatusOr<std::vector<Hash>> StoredLog::ConsistencyProof(
    uint64_t size1, uint64_t size2) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  if (size2 > tree_->size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "size: got ", size2, ", want ≤ tree size ", tree_->size()));
  }
  return merkle::ConsistencyProof(size1, size2, *tree_, &proof_folds_);
}

absl::StatusOr<Hash> StoredLog::RootAt(uint64_t size) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->RootAt(size);
}

absl::StatusOr<std::vector<Hash>> StoredLog::ReadTreeNodes(
    absl::Span<const merkle::NodeId> ids) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->ReadNodes(ids);
}

absl::Status StoredLog::Snapshot(const std::string& out_dir) const {
  return store_->Snapshot(out_dir);
}

TreeState::CacheStats StoredLog::TreeCacheStats() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->cache_stats();
}

size_t StoredLog::MemoryBytes() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->MemoryBytes() + indexes_->MemoryBytes();
}

PendingAppend StoredLog::StageAppend(absl::Span<const Hash> leaf_hashes,
                                     storage::Batch* batch) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->StageAppend(leaf_hashes, batch);
}

void StoredLog::ApplyAppend(PendingAppend pending) {
  absl::MutexLock lock(&tree_mu_);
  tree_->Apply(std::move(pending));
}

absl::Status StoredLog::CheckNewestLeaves(uint64_t count) const {
  absl::MutexLock lock(&tree_mu_);
  return ledger::CheckNewestLeaves(*store_, *tree_, tree_->size(), count);
}

void StoredLog::SetLogKeys(LogKeyHistory history) {
  absl::MutexLock lock(&log_keys_mu_);
  log_keys_ = std::move(history);
}

void StoredLog::SetLatestCheckpoint(std::string note, uint64_t size) {
  absl::MutexLock lock(&latest_mu_);
  latest_checkpoint_ = std::move(note);
  latest_checkpoint_size_ = size;
}

}  // namespace ledger
