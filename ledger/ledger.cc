#include "ledger/ledger.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/derived_state_check.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/signed_state.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_leaves.h"
#include "ledger/stored_log_keys.h"

namespace ledger {

using merkle::Hash;
using storage::Family;

std::string DbPath(const std::string& dir) { return dir + "/db"; }
std::string KeysPath(const std::string& dir) { return dir + "/keys"; }
std::string DefaultLogKeyPath(const std::string& dir) {
  return KeysPath(dir) + "/log.key";
}
std::string DefaultAdminKeyPath(const std::string& dir) {
  return KeysPath(dir) + "/admin.key";
}
std::string SignedStatePath(const std::string& log_key_path,
                            const std::string& signed_state_dir) {
  if (signed_state_dir.empty()) return log_key_path + ".signed-state";
  const size_t slash = log_key_path.rfind('/');
  const std::string name = slash == std::string::npos
                               ? log_key_path
                               : log_key_path.substr(slash + 1);
  return signed_state_dir + "/" + name + ".signed-state";
}

Ledger::~Ledger() = default;

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

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  auto ledger = std::unique_ptr<Ledger>(new Ledger());
  ledger->clock_ =
      options.clock != nullptr ? options.clock : common::RealClock::Get();
  if (options.log_key_path.empty())
    options.log_key_path = DefaultLogKeyPath(options.dir);
  storage::StoreOptions store_options = options.store_options;
  if (store_options.mode != storage::StoreOptions::Mode::kCreate) {
    store_options.mode = options.read_only
                             ? storage::StoreOptions::Mode::kReadOnly
                             : storage::StoreOptions::Mode::kOpenExisting;
  }
  ledger->options_ = options;
  ASSIGN_OR_RETURN(ledger->store_,
                   storage::Store::Open(DbPath(options.dir), store_options));
  {
    absl::MutexLock lock(&ledger->checkpoint_mu_);
    if (!options.read_only) {
      auto key = crypto::ReadSecretKeyFile(options.log_key_path);
      if (key.ok()) {
        auto origin = ledger->store_->Get(Family::kMeta, keys::kOrigin);
        if (!origin.ok()) return origin.status();
        ASSIGN_OR_RETURN(
            ledger->checkpoint_signer_,
            note::NoteSigner::Create(origin->value_or(""), std::move(*key)));
      } else if (key.status().code() != absl::StatusCode::kNotFound) {
        return key.status();
      }
    }
    ledger->log_key_path_ = options.log_key_path;
    ledger->signed_state_path_ =
        SignedStatePath(options.log_key_path, options.signed_state_dir);
  }
  if (options.min_free_bytes > 0 && !options.read_only) {
    FreeSpaceFloor::Probe probe = options.free_space_probe;
    if (!probe) {
      // What is still in memtables will be written as tables (at close, or
      // by the next open's WAL replay) while its WAL still takes space: that
      // much of the free space is already spoken for.
      probe = [dir = options.dir,
               store = ledger->store_.get()]() -> absl::StatusOr<uint64_t> {
        ASSIGN_OR_RETURN(uint64_t free_bytes, StatvfsFreeBytes(dir));
        const uint64_t unflushed = store->UnflushedBytes();
        return free_bytes > unflushed ? free_bytes - unflushed : 0;
      };
    }
    ledger->free_space_ = std::make_unique<FreeSpaceFloor>(
        options.dir, options.min_free_bytes, options.free_space_recheck,
        ledger->clock_, std::move(probe));
  }
  RETURN_IF_ERROR(ledger->LoadState());
  RETURN_IF_ERROR(ledger->CheckOpenInvariants());
  ASSIGN_OR_RETURN(ledger->simulated_clock_since_,
                   ReadSimulatedClockMark(*ledger->store_));
  if (options.simulated_clock && !options.read_only &&
      !ledger->simulated_clock_since_.has_value()) {
    const uint64_t size = ledger->Size();
    storage::Batch batch;
    batch.Put(Family::kMeta, keys::kSimulatedClock, entry::U64Key(size));
    RETURN_IF_ERROR(ledger->store_->Write(&batch));
    ledger->simulated_clock_since_ = size;
  }
  if (!options.read_only) {
    // Appends trust the key registry and sign on top of the newest leaves:
    // check both against the leaves (ledger/derived_state_check.h).
    const uint64_t size = ledger->Size();
    {
      absl::MutexLock lock(&ledger->tree_mu_);
      RETURN_IF_ERROR(CheckNewestLeaves(*ledger->store_, *ledger->tree_, size,
                                        kNewestLeavesChecked));
    }
    absl::ReaderMutexLock lock(&ledger->registry_mu_);
    RETURN_IF_ERROR(
        CheckKeyRegistryReplay(*ledger->store_, size, ledger->registry_));
  }
  return ledger;
}

absl::Status Ledger::LoadState() {
  ASSIGN_OR_RETURN(std::optional<std::string> origin,
                   store_->Get(Family::kMeta, keys::kOrigin));
  if (!origin.has_value()) {
    return absl::DataLossError(
        "the ledger database has no origin: not a ledger, or damaged");
  }
  origin_ = *origin;
  ASSIGN_OR_RETURN(std::optional<std::string> size,
                   store_->Get(Family::kMeta, keys::kTreeSize));
  ASSIGN_OR_RETURN(std::optional<std::string> time,
                   store_->Get(Family::kMeta, keys::kLastTime));
  const uint64_t tree_size = size.has_value() ? entry::DecodeU64(*size) : 0;
  last_time_micros_ =
      time.has_value() ? static_cast<int64_t>(entry::DecodeU64(*time)) : 0;
  std::optional<crypto::PublicKey> loaded;
  {
    absl::MutexLock lock(&checkpoint_mu_);
    if (checkpoint_signer_ != nullptr)
      loaded = checkpoint_signer_->public_key();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> log_pub,
                   store_->Get(Family::kMeta, keys::kLogPublicKey));
  if (log_pub.has_value()) {
    auto pub = crypto::PublicKey::FromBytes(*log_pub);
    if (!pub.ok())
      return absl::DataLossError("the stored log public key is invalid");
    created_log_key_ = *pub;
  } else if (loaded.has_value()) {
    created_log_key_ = *loaded;
  } else {
    return absl::DataLossError("the ledger database has no log public key");
  }
  {
    absl::MutexLock lock(&tree_mu_);
    ASSIGN_OR_RETURN(tree_,
                     TreeState::Load(store_.get(), tree_size,
                                     options_.tree_cache_bytes / kBlockBytes));
    ASSIGN_OR_RETURN(indexes_, IndexRuns::Load(store_.get(), *tree_, tree_size,
                                               options_.index_run_leaves));
  }
  ASSIGN_OR_RETURN(KeyRegistry registry, ReadRegistry());
  {
    absl::MutexLock lock(&log_keys_mu_);
    log_keys_ = registry.log_keys();
  }
  // A retired or previous log key may be loaded (reads work, and a
  // half-done rotation is finished with it); a key that was never this
  // log's is a configuration mistake.
  if (loaded.has_value() && *loaded != log_public_key() &&
      !registry.log_keys().Contains(*loaded)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the log key in ", options_.log_key_path, " (",
        DescribeLogKey(origin_, *loaded),
        ") is not this ledger's log key, nor a former one (current: ",
        DescribeLogKey(origin_, log_public_key()), ")"));
  }
  {
    absl::MutexLock keys_lock(&verify_keys_mu_);
    verify_keys_.clear();
    for (const KeyInfo& info : registry.All()) {
      if (info.public_key.has_value())
        verify_keys_.insert({info.id, *info.public_key});
    }
  }
  {
    absl::MutexLock lock(&registry_mu_);
    registry_ = std::move(registry);
  }
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   store_->Get(Family::kMeta, keys::kLatestCheckpoint));
  absl::MutexLock lock(&checkpoint_mu_);
  latest_checkpoint_ = note.value_or("");
  return absl::OkStatus();
}

absl::StatusOr<KeyRegistry> Ledger::ReadRegistry() const {
  absl::Status decode_error;
  KeyRegistry registry;
  RETURN_IF_ERROR(store_->Scan(Family::kKeys, "", "",
                               [&](absl::string_view, absl::string_view value) {
                                 auto info = DecodeKeyInfo(value);
                                 if (!info.ok()) {
                                   decode_error = info.status();
                                   return false;
                                 }
                                 registry.Insert(std::move(*info));
                                 return true;
                               }));
  RETURN_IF_ERROR(decode_error);
  ASSIGN_OR_RETURN(LogKeyHistory log_keys, ReadLogKeyHistory(*store_));
  registry.set_log_keys(std::move(log_keys));
  registry.TakeDirty();
  return registry;
}

absl::Status Ledger::CheckOpenInvariants() {
  const uint64_t size = Size();
  uint64_t checkpoint_size = 0;
  std::string note;
  {
    absl::MutexLock lock(&checkpoint_mu_);
    note = latest_checkpoint_;
  }
  if (!note.empty()) {
    auto fields = VerifyCheckpointNote(note);
    if (!fields.ok()) {
      return absl::DataLossError(
          absl::StrCat("the latest stored checkpoint does not verify: ",
                       fields.status().message()));
    }
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
    absl::MutexLock lock(&checkpoint_mu_);
    latest_checkpoint_size_ = fields->size;
    checkpoint_size = fields->size;
  }
  std::string signed_state_path;
  {
    absl::MutexLock lock(&checkpoint_mu_);
    if (checkpoint_signer_ == nullptr) return absl::OkStatus();
    signed_state_path = signed_state_path_;
  }
  ASSIGN_OR_RETURN(std::optional<SignedState> signed_state,
                   ReadSignedState(signed_state_path));
  if (!signed_state.has_value()) {
    if (note.empty()) return absl::OkStatus();  // nothing signed yet
    // Checkpoints exist, so the key signed them and recorded each one: a
    // missing file was deleted or left behind by a restore. Signing without
    // it could sign a second root for a size already published.
    return absl::FailedPreconditionError(absl::StrCat(
        "the log key has signed checkpoints of this ledger (latest size ",
        checkpoint_size, ") but its signed state ", signed_state_path,
        " is missing; refusing to sign (the log could fork). Restore the "
        "file from where it is kept (--signed_state_dir), or rebuild it from "
        "the newest checkpoint published anywhere with `ledgerctl "
        "restore-signed-state` (docs/operator-guide.md, \"Restoring\")"));
  }
  if (signed_state->origin != origin_) {
    return absl::FailedPreconditionError(
        absl::StrCat(signed_state_path, " belongs to log \"",
                     signed_state->origin, "\", not \"", origin_, "\""));
  }
  if (signed_state->size > size) {
    return absl::DataLossError(
        absl::StrCat("the log key already signed a checkpoint of size ",
                     signed_state->size, " but the database holds only ", size,
                     " entries (restored from an old backup?); refusing to "
                     "serve a log that could fork"));
  }
  ASSIGN_OR_RETURN(Hash root, RootAt(signed_state->size));
  if (root != signed_state->root) {
    return absl::DataLossError(
        absl::StrCat("the stored tree at size ", signed_state->size,
                     " does not match the root the log key signed"));
  }
  return absl::OkStatus();
}

uint64_t Ledger::Size() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->size();
}

crypto::PublicKey Ledger::log_public_key() const {
  absl::MutexLock lock(&log_keys_mu_);
  return log_keys_.empty() ? *created_log_key_ : log_keys_.current().key;
}

std::string Ledger::VerifierKey() const {
  return LogVerifierKey(origin_, log_public_key());
}

LogKeyHistory Ledger::LogKeys() const {
  absl::MutexLock lock(&log_keys_mu_);
  return log_keys_;
}

absl::StatusOr<CheckpointFields> Ledger::VerifyCheckpointNote(
    absl::string_view note) const {
  const LogKeyHistory history = LogKeys();
  if (history.empty()) return VerifyCheckpoint(note, origin_, log_public_key());
  return history.VerifyCheckpoint(note, origin_, /*handover=*/false);
}

absl::StatusOr<std::optional<uint64_t>> Ledger::FirstCheckpointAfter(
    uint64_t leaf) const {
  ASSIGN_OR_RETURN(std::vector<uint64_t> sizes, CheckpointSizesAfter(leaf, 1));
  if (sizes.empty()) return std::nullopt;
  return sizes.front();
}

absl::StatusOr<std::vector<uint64_t>> Ledger::CheckpointSizesAfter(
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

absl::StatusOr<std::string> Ledger::LatestCheckpoint() const {
  absl::ReaderMutexLock lock(&checkpoint_mu_);
  if (latest_checkpoint_.empty())
    return absl::NotFoundError("no checkpoint published yet");
  return latest_checkpoint_;
}

absl::StatusOr<std::string> Ledger::CheckpointAt(uint64_t size) const {
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   store_->Get(Family::kMeta, keys::CheckpointAt(size)));
  if (!note.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no checkpoint was published at size ", size));
  }
  return *note;
}

absl::StatusOr<std::string> Ledger::GetLeaf(uint64_t index) const {
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

absl::StatusOr<std::vector<std::string>> Ledger::GetLeaves(
    uint64_t start, uint64_t count) const {
  if (count > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("count: got ", count, ", want ≤ 1000"));
  }
  const uint64_t size = Size();
  if (start >= size && count > 0) {
    return absl::OutOfRangeError(
        absl::StrCat("start: got ", start, ", want < tree size ", size));
  }
  return ReadStoredLeaves(*store_, start, std::min(size, start + count));
}

absl::StatusOr<uint64_t> Ledger::FindLeafByHash(const Hash& leaf_hash) const {
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

absl::StatusOr<std::vector<Hash>> Ledger::InclusionProof(uint64_t index,
                                                         uint64_t size) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  if (size > tree_->size()) {
    return absl::OutOfRangeError(
        absl::StrCat("size: got ", size, ", want ≤ tree size ", tree_->size()));
  }
  return merkle::InclusionProof(index, size, *tree_, &proof_folds_);
}

absl::StatusOr<std::vector<Hash>> Ledger::ConsistencyProof(
    uint64_t size1, uint64_t size2) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  if (size2 > tree_->size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "size: got ", size2, ", want ≤ tree size ", tree_->size()));
  }
  return merkle::ConsistencyProof(size1, size2, *tree_, &proof_folds_);
}

absl::StatusOr<Hash> Ledger::RootAt(uint64_t size) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->RootAt(size);
}

absl::StatusOr<std::vector<Hash>> Ledger::ReadTreeNodes(
    absl::Span<const merkle::NodeId> ids) const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->ReadNodes(ids);
}

std::vector<KeyInfo> Ledger::Keys() const {
  absl::ReaderMutexLock lock(&registry_mu_);
  return registry_.All();
}

std::optional<KeyInfo> Ledger::FindKey(const crypto::KeyId& id) const {
  absl::ReaderMutexLock lock(&registry_mu_);
  const KeyInfo* info = registry_.Find(id);
  return info == nullptr ? std::nullopt : std::optional<KeyInfo>(*info);
}

absl::Status Ledger::Snapshot(const std::string& out_dir) const {
  return store_->Snapshot(out_dir);
}

TreeState::CacheStats Ledger::TreeCacheStats() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->cache_stats();
}

size_t Ledger::MemoryBytes() const {
  absl::ReaderMutexLock lock(&tree_mu_);
  return tree_->MemoryBytes() + indexes_->MemoryBytes();
}

}  // namespace ledger
