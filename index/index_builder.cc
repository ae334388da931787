#include "index/index_builder.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/key_record.h"
#include "index/map_fn.h"
#include "ledger/entry/byte_io.h"

namespace vindex {
namespace {

using ledger::entry::ByteReader;
using ledger::merkle::CompactRange;
using ledger::storage::Family;

// Storage keys (index/FORMAT.md, "Storage").
constexpr char kStateKey[] = "index/state";
constexpr char kInputFrontierKey[] = "index/input_frontier";
constexpr char kListNodesKey[] = "index/list_nodes";
constexpr char kKeyRecordsKey[] = "index/key_records";
constexpr char kKeyCheckpointKey[] = "index/key_checkpoint";

// Leaves re-applied at a time when open catches up from the key checkpoint.
constexpr uint64_t kReapplyChunk = 10'000;

// kMeta `index/list_nodes`: the lowest stored list-node level.
std::string ListNodesRecord() {
  std::string out;
  ledger::entry::PutU32(&out, kStoredListLevel);
  return out;
}

std::string KeyRecordKey(const Hash& key) {
  return absl::StrCat("k", HashBytes(key));
}

// Layout 1 only: the key's totals fold state in a record of its own.
std::string LayoutOneTotalsKey(const Hash& key) {
  return absl::StrCat("t", HashBytes(key));
}

// kMeta `index/key_records`: the layout of the `k` records (key_record.h).
std::string KeyRecordsRecord() {
  std::string out;
  ledger::entry::PutU32(&out, kKeyRecordLayout);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<IndexBuilder>> IndexBuilder::Open(
    const std::string& dir, uint32_t version) {
  BuilderOptions options;
  options.version = version;
  return Open(dir, std::move(options));
}

absl::StatusOr<std::unique_ptr<IndexBuilder>> IndexBuilder::Open(
    const std::string& dir, BuilderOptions builder_options) {
  const uint32_t version = builder_options.version;
  if (!IsKnownMapFnVersion(version)) {
    return absl::InvalidArgumentError(
        absl::StrCat("index: MapFn v", version, " is not known here"));
  }
  ledger::storage::StoreOptions options;
  options.block_cache_bytes = 64 << 20;
  options.memtable_hints =
      ledger::storage::StoreOptions::MemtableHints::kSortedRunsPerFamily;
  absl::StatusOr<std::unique_ptr<ledger::storage::Store>> store =
      ledger::storage::Store::Open(dir, options);
  if (absl::IsNotFound(store.status())) {
    options.mode = ledger::storage::StoreOptions::Mode::kCreate;
    store = ledger::storage::Store::Open(dir, options);
  }
  if (!store.ok()) return store.status();
  std::unique_ptr<IndexBuilder> builder(
      new IndexBuilder(std::move(*store), std::move(builder_options)));
  absl::Status loaded = builder->Load();
  if (!loaded.ok()) {
    // Half loaded: the destructor must not write a key checkpoint of it.
    builder->broken_ = loaded;
    return loaded;
  }
  return builder;
}

IndexBuilder::~IndexBuilder() {
  if (broken_.ok() && options_.checkpoint_keys_at_close) {
    CheckpointKeys().IgnoreError();
  }
}

absl::Status IndexBuilder::Load() {
  state_.map_fn_version = map_.version();
  state_.input_root = ledger::merkle::EmptyRoot();
  state_.map_root = EmptyMapHash();
  ASSIGN_OR_RETURN(std::optional<std::string> state,
                   store_->Get(Family::kMeta, kStateKey));
  ASSIGN_OR_RETURN(const uint32_t layout, KeyRecordLayout());
  if (!state.has_value()) {
    // No key yet: the records will be of this binary's layout, and written
    // at key checkpoints (the record says where they are: the empty state).
    keys_at_ = {state_, input_};
    ledger::storage::Batch batch;
    if (layout != kKeyRecordLayout) {
      batch.Put(Family::kMeta, kKeyRecordsKey, KeyRecordsRecord());
    }
    PutKeyCheckpoint(&batch);  // no key yet: the record alone
    RETURN_IF_ERROR(store_->Write(&batch));
    return LoadListNodes(/*new_store=*/true);
  }
  ASSIGN_OR_RETURN(state_, DecodeIndexState(*state));
  if (state_.map_fn_version != map_.version()) {
    return absl::DataLossError(
        absl::StrCat("index: built with MapFn v", state_.map_fn_version,
                     ", opened as v", map_.version(), ": rebuild it"));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> frontier,
                   store_->Get(Family::kMeta, kInputFrontierKey));
  const std::string frontier_bytes = frontier.value_or("");
  ByteReader frontier_in(frontier_bytes);
  ASSIGN_OR_RETURN(input_, DecodeRangeHashes(state_.input_size, &frontier_in));
  if (input_.Root() != state_.input_root) {
    return absl::DataLossError(
        "index: the stored input frontier does not make the stored input root");
  }
  ASSIGN_OR_RETURN(const bool key_checkpoint_stored, LoadKeyCheckpoint());
  std::vector<Hash> layout_one_keys;
  RETURN_IF_ERROR(layout == 1 ? LoadLayoutOneKeys(&layout_one_keys)
                              : LoadKeys());
  map_.Flush();
  if (map_.Root() != keys_at_.state.map_root) {
    return absl::DataLossError(absl::StrCat(
        "index: the stored keys do not recompute the map root of their "
        "checkpoint at input size ",
        keys_at_.state.input_size));
  }
  RETURN_IF_ERROR(ReapplyInput());
  // Rewritten only once they are known to make the stored roots.
  if (layout == 1) RETURN_IF_ERROR(RewriteLayoutOneKeys(layout_one_keys));
  if (!key_checkpoint_stored) {
    // Written before key checkpoints: from now on the `k` records lag the
    // state, so the record must say where they are before any update (they
    // are at the state: nothing was re-applied, no key changed since).
    ledger::storage::Batch batch;
    PutKeyCheckpoint(&batch);
    RETURN_IF_ERROR(store_->Write(&batch));
  }
  return LoadListNodes(/*new_store=*/false);
}

absl::StatusOr<bool> IndexBuilder::LoadKeyCheckpoint() {
  ASSIGN_OR_RETURN(std::optional<std::string> record,
                   store_->Get(Family::kMeta, kKeyCheckpointKey));
  if (!record.has_value()) {
    keys_at_ = {state_, input_};
    return false;
  }
  ASSIGN_OR_RETURN(keys_at_, DecodeKeyCheckpoint(*record));
  if (keys_at_.state.input_size > state_.input_size ||
      keys_at_.state.map_fn_version != state_.map_fn_version) {
    return absl::DataLossError(absl::StrCat(
        "index: key checkpoint at input size ", keys_at_.state.input_size,
        " (MapFn v", keys_at_.state.map_fn_version, ") is not below the state ",
        "at ", state_.input_size, " (v", state_.map_fn_version, ")"));
  }
  return true;
}

absl::Status IndexBuilder::ReapplyInput() {
  const uint64_t from = keys_at_.state.input_size;
  const uint64_t to = state_.input_size;
  if (from < to && !options_.input) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index: stored at input size ", to, " with its key records at ", from,
        " (it was not closed cleanly): open it with the input log to "
        "re-apply the leaves between"));
  }
  CompactRange input = keys_at_.input;
  for (uint64_t next = from; next < to;) {
    const uint64_t want = std::min(kReapplyChunk, to - next);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                     options_.input(next, want));
    if (leaves.empty() || leaves.size() > want) {
      return absl::OutOfRangeError(absl::StrCat("index: the input returned ",
                                                leaves.size(), " leaves from ",
                                                next, ", want 1 to ", want));
    }
    for (const std::string& leaf : leaves) {
      input.Append(ledger::merkle::HashLeaf(leaf), nullptr);
      RETURN_IF_ERROR(map_.AddLeaf(next++, leaf));
    }
    for (const ModelMap::Changed& c : map_.Flush()) {
      changed_since_keys_.insert(c.key);
    }
    map_.TakeCompletedNodes();  // stored by the update that completed them
  }
  if (input.Root() != state_.input_root || map_.Root() != state_.map_root) {
    return absl::DataLossError(absl::StrCat(
        "index: the input leaves ", from, "..", to,
        " re-applied from the key checkpoint do not make the stored roots"));
  }
  return absl::OkStatus();
}

absl::Status IndexBuilder::LoadListNodes(bool new_store) {
  ASSIGN_OR_RETURN(std::optional<std::string> level,
                   store_->Get(Family::kMeta, kListNodesKey));
  if (level.has_value()) {
    ByteReader in(*level);
    uint32_t stored = 0;
    if (!in.ReadU32(&stored) || in.remaining() != 0 ||
        stored != kStoredListLevel) {
      return absl::DataLossError(absl::StrCat(
          "index: list nodes stored from level ", stored,
          ", this binary keeps them from level ", kStoredListLevel,
          ": rebuild the index (move its folder away; the updater, "
          "ledger_server --index_dir or ledgerctl index-update, indexes the "
          "input log again)"));
    }
    return absl::OkStatus();
  }
  if (!new_store) return WriteMissingListNodes();
  ledger::storage::Batch batch;
  batch.Put(Family::kMeta, kListNodesKey, ListNodesRecord());
  return store_->Write(&batch);
}

absl::Status IndexBuilder::WriteMissingListNodes() {
  std::vector<Hash> keys;
  RETURN_IF_ERROR(store_->Scan(Family::kIndex, "k", "l",
                               [&](absl::string_view k, absl::string_view) {
                                 keys.push_back(HashOfBytes(k.substr(1)));
                                 return true;
                               }));
  ledger::storage::Batch batch;
  for (const Hash& key : keys) {
    const ModelMap::KeyState* k = map_.Find(key);
    if (k == nullptr || k->list.size() < (uint64_t{1} << kStoredListLevel)) {
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<uint64_t> elements,
                     ReadListElements(*store_, key, 0, k->list.size()));
    CompactRange range;
    for (const auto& [id, hash] : StoredLevelNodes(elements, &range)) {
      batch.Put(Family::kTree, ListNodeKey(key, id), HashBytes(hash));
    }
    if (range.size() != k->list.size() || range.Root() != k->list.Root()) {
      return absl::DataLossError(
          absl::StrCat("index: the stored list of ", k->model_id,
                       " does not make its stored compact range"));
    }
  }
  batch.Put(Family::kMeta, kListNodesKey, ListNodesRecord());
  return store_->Write(&batch);
}

absl::StatusOr<uint32_t> IndexBuilder::KeyRecordLayout() const {
  ASSIGN_OR_RETURN(std::optional<std::string> record,
                   store_->Get(Family::kMeta, kKeyRecordsKey));
  if (!record.has_value()) return 1;  // written before the record existed
  ByteReader in(*record);
  uint32_t layout = 0;
  if (!in.ReadU32(&layout) || in.remaining() != 0 ||
      layout != kKeyRecordLayout) {
    return absl::DataLossError(
        absl::StrCat("index: key records of layout ", layout,
                     ", this binary reads ", kKeyRecordLayout,
                     " (and 1): rebuild the index (move its folder "
                     "away; the updater indexes the input log again)"));
  }
  return layout;
}

absl::Status IndexBuilder::LoadKeys() {
  const bool with_totals = map_.version() >= 2;
  absl::Status record_status;
  RETURN_IF_ERROR(store_->Scan(
      Family::kIndex, "k", "l", [&](absl::string_view k, absl::string_view v) {
        absl::StatusOr<ModelMap::KeyState> key =
            DecodeKeyRecord(v, with_totals);
        if (!key.ok()) {
          record_status = key.status();
          return false;
        }
        map_.Restore(HashOfBytes(k.substr(1)), *std::move(key));
        return true;
      }));
  return record_status;
}

absl::Status IndexBuilder::LoadLayoutOneKeys(std::vector<Hash>* keys) {
  absl::Status record_status;
  absl::flat_hash_map<Hash, TotalsFold> totals;
  RETURN_IF_ERROR(store_->Scan(
      Family::kIndex, "t", "u", [&](absl::string_view k, absl::string_view v) {
        absl::StatusOr<TotalsFold> fold = TotalsFold::DecodeState(v);
        if (!fold.ok()) {
          record_status = absl::DataLossError(
              absl::StrCat("index: totals record: ", fold.status().message()));
          return false;
        }
        totals.emplace(HashOfBytes(k.substr(1)), *std::move(fold));
        return true;
      }));
  RETURN_IF_ERROR(record_status);
  RETURN_IF_ERROR(store_->Scan(
      Family::kIndex, "k", "l", [&](absl::string_view k, absl::string_view v) {
        absl::StatusOr<ModelMap::KeyState> key = DecodeLayoutOneKeyRecord(v);
        if (!key.ok()) {
          record_status = key.status();
          return false;
        }
        const Hash hash = HashOfBytes(k.substr(1));
        auto fold = totals.find(hash);
        if (fold != totals.end()) key->totals = std::move(fold->second);
        map_.Restore(hash, *std::move(key));
        keys->push_back(hash);
        return true;
      }));
  return record_status;
}

absl::Status IndexBuilder::RewriteLayoutOneKeys(const std::vector<Hash>& keys) {
  ledger::storage::Batch batch;
  for (const Hash& hash : keys) {
    batch.Put(Family::kIndex, KeyRecordKey(hash),
              EncodeKeyRecord(*map_.Find(hash), map_.version() >= 2));
    batch.Delete(Family::kIndex, LayoutOneTotalsKey(hash));
  }
  batch.Put(Family::kMeta, kKeyRecordsKey, KeyRecordsRecord());
  return store_->Write(&batch);
}

absl::Status IndexBuilder::CheckInput(const InputCheckpoint& at,
                                      absl::Span<const std::string> leaves,
                                      CompactRange* input) const {
  if (at.size < state_.input_size ||
      at.size - state_.input_size != leaves.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "index: ", leaves.size(), " leaves for checkpoint size ", at.size,
        ", want ", at.size - std::min(at.size, state_.input_size),
        " from indexed size ", state_.input_size));
  }
  *input = input_;
  for (const std::string& leaf : leaves) {
    input->Append(ledger::merkle::HashLeaf(leaf), nullptr);
  }
  if (input->Root() != at.root) {
    return absl::DataLossError(
        absl::StrCat("index: leaves ", state_.input_size, "..", at.size,
                     " do not make the checkpoint's root ",
                     ledger::merkle::HashToHex(at.root)));
  }
  return absl::OkStatus();
}

absl::Status IndexBuilder::Apply(const InputCheckpoint& at,
                                 absl::Span<const std::string> leaves) {
  RETURN_IF_ERROR(broken_);
  CompactRange input;
  RETURN_IF_ERROR(CheckInput(at, leaves, &input));
  // MapFn on every leaf first, so that a leaf that does not parse changes
  // nothing.
  std::vector<MappedLeaf> mapped(leaves.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    ASSIGN_OR_RETURN(mapped[i], MapLeaf(state_.input_size + i, leaves[i]));
  }
  std::vector<ListEntry> entries;
  for (size_t i = 0; i < leaves.size(); ++i) {
    const uint64_t index = state_.input_size + i;
    for (const std::string& id : mapped[i].models) {
      const Hash key = KeyHash(id);
      const ModelMap::KeyState* k = map_.Find(key);
      entries.push_back({key, k == nullptr ? 0 : k->list.size(), index});
    }
    // One Add per leaf: a leaf may name two models (a declaration and its
    // base model), and Add wants each leaf index once.
    RETURN_IF_ERROR(map_.AddMapped(index, mapped[i]));
  }
  input_ = std::move(input);
  state_.input_size = at.size;
  state_.input_root = at.root;
  for (const ModelMap::Changed& c : map_.Flush()) {
    changed_since_keys_.insert(c.key);
  }
  state_.map_root = map_.Root();
  state_.key_count = map_.key_count();
  absl::Status written = Write(std::move(entries));
  if (!written.ok()) broken_ = written;
  return written;
}

absl::Status IndexBuilder::CheckpointKeys() {
  RETURN_IF_ERROR(broken_);
  if (keys_at_.state.input_size == state_.input_size) return absl::OkStatus();
  ledger::storage::Batch batch;
  PutKeyCheckpoint(&batch);
  absl::Status written = store_->Write(&batch);
  if (!written.ok()) {
    broken_ = written;
    return written;
  }
  KeysCheckpointed();
  return absl::OkStatus();
}

void IndexBuilder::KeysCheckpointed() {
  keys_at_ = {state_, input_};
  changed_since_keys_.clear();
}

void IndexBuilder::PutKeyCheckpoint(ledger::storage::Batch* batch) const {
  std::vector<Hash> keys(changed_since_keys_.begin(),
                         changed_since_keys_.end());
  std::sort(keys.begin(), keys.end());
  for (const Hash& key : keys) {
    batch->Put(Family::kIndex, KeyRecordKey(key),
               EncodeKeyRecord(*map_.Find(key), map_.version() >= 2));
  }
  batch->Put(Family::kMeta, kKeyCheckpointKey,
             EncodeKeyCheckpoint({state_, input_}));
}

// Each family's keys go into the batch in sorted order (the store hints its
// memtable inserts per family, StoreOptions::kSortedRunsPerFamily): a batch
// touches thousands of random keys, and unsorted they cost a skiplist search
// from the top each; sorted, each starts where the previous one went in.
absl::Status IndexBuilder::Write(std::vector<ListEntry> entries) {
  ledger::storage::Batch batch;
  const bool checkpoint_keys = state_.input_size - keys_at_.state.input_size >=
                               options_.key_checkpoint_leaves;
  if (checkpoint_keys) PutKeyCheckpoint(&batch);
  std::sort(entries.begin(), entries.end(),
            [](const ListEntry& a, const ListEntry& b) {
              return std::tie(a.key, a.position) < std::tie(b.key, b.position);
            });
  for (const ListEntry& e : entries) {
    batch.Put(Family::kLeaves, ListEntryKey(e.key, e.position),
              ledger::entry::U64Key(e.index));
  }
  std::vector<ModelMap::CompletedNode> nodes = map_.TakeCompletedNodes();
  std::sort(
      nodes.begin(), nodes.end(),
      [](const ModelMap::CompletedNode& a, const ModelMap::CompletedNode& b) {
        return std::tie(a.key, a.id.level, a.id.index) <
               std::tie(b.key, b.id.level, b.id.index);
      });
  for (const ModelMap::CompletedNode& n : nodes) {
    batch.Put(Family::kTree, ListNodeKey(n.key, n.id), HashBytes(n.hash));
  }
  batch.Put(Family::kMeta, kInputFrontierKey,
            EncodeRangeHashes(input_.hashes()));
  batch.Put(Family::kMeta, kStateKey, EncodeIndexState(state_));
  RETURN_IF_ERROR(store_->Write(&batch));
  if (checkpoint_keys) KeysCheckpointed();
  return absl::OkStatus();
}

MapProof IndexBuilder::Prove(absl::string_view model_id,
                             KeyValue* value) const {
  return map_.tree().Prove(KeyHash(model_id), value);
}

std::optional<ModelTotals> IndexBuilder::Totals(
    absl::string_view model_id) const {
  const ModelMap::KeyState* k = map_.Find(KeyHash(model_id));
  if (k == nullptr || map_.version() < 2) return std::nullopt;
  return k->totals.totals();
}

ledger::merkle::CompactRange IndexBuilder::ListRange(
    absl::string_view model_id) const {
  const ModelMap::KeyState* k = map_.Find(KeyHash(model_id));
  return k == nullptr ? ledger::merkle::CompactRange() : k->list;
}

absl::StatusOr<std::vector<uint64_t>> IndexBuilder::List(
    absl::string_view model_id, uint64_t start, uint64_t max_count) const {
  return ReadListElements(*store_, KeyHash(model_id), start, max_count);
}

absl::StatusOr<StoredListNodes> IndexBuilder::ListNodes(
    absl::string_view model_id, uint64_t count) const {
  const Hash key = KeyHash(model_id);
  const ModelMap::KeyState* k = map_.Find(key);
  const uint64_t has = k == nullptr ? 0 : k->list.size();
  if (count > has) {
    return absl::InvalidArgumentError(absl::StrCat("list size: got ", count,
                                                   ", the list of ", model_id,
                                                   " has ", has, " elements"));
  }
  return StoredListNodes(store_.get(), key, count);
}

}  // namespace vindex
