// The verifiable index, built incrementally from verified checkpoints of an
// input log and stored in RocksDB (index/FORMAT.md, "Storage"). Each Apply
// takes the leaves between the last indexed size and a checkpoint's size,
// checks that they make exactly that checkpoint's tree (the input log's
// compact range is stored, so this costs one leaf hash per leaf), runs MapFn
// on each, and writes what it must to answer queries (the list entries, the
// list nodes they complete (list_nodes.h), the input frontier and the new
// state) in one synced RocksDB batch: a crash leaves the index at one
// checkpoint or the next, never between.
//
// The per-key records (`k`: each key's list range and totals, from which
// open rebuilds the map in memory) are written only every
// `key_checkpoint_leaves` leaves and at a clean close, with the state they
// make (a key checkpoint): an update changes most keys of a busy index, and
// rewriting each changed key's record every update was most of the build's
// cost. After a crash, open re-applies the input leaves from the key
// checkpoint to the stored state, read from `BuilderOptions::input`, and
// checks they make the stored input and map roots: the map is a function of
// the input, so the roots come out the same. Open resumes from what is
// stored and checks the map root recomputes; a store written before the
// list nodes were kept gets them at open (one pass over every list, one
// batch).
//
// Not thread-safe: one builder per folder and process; queries and Apply
// serialised by the owner.
#ifndef INDEX_INDEX_BUILDER_H_
#define INDEX_INDEX_BUILDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "index/index_state.h"
#include "index/list_nodes.h"
#include "index/map_fn.h"
#include "index/map_hash.h"
#include "index/map_proof.h"
#include "index/model_map.h"
#include "index/model_totals.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/store.h"

namespace vindex {

// A checkpoint of the input log, as verified by the caller (signature and
// consistency with the checkpoints trusted before).
struct InputCheckpoint {
  uint64_t size = 0;
  Hash root{};
};

// Reads the input log's leaves from `start`, in order: at least one and at
// most `max_count` (fewer is fine; the caller loops). Unverified: the
// builder checks what it reads against the input root it stored.
using InputLeafReader = std::function<absl::StatusOr<std::vector<std::string>>(
    uint64_t start, uint64_t max_count)>;

struct BuilderOptions {
  // The map version to create (map_fn.h); an existing index must be it.
  uint32_t version = kMapFnVersion;
  // Where open reads the leaves indexed after the last key checkpoint
  // (after a crash). Without it, such an index does not open
  // (kFailedPrecondition); one closed cleanly, or new, does.
  InputLeafReader input;
  // The `k` records are written when the input size has grown by this many
  // leaves since they were last written (and at a clean close): the most
  // input a crash makes open re-read and re-map. 0: every update.
  uint64_t key_checkpoint_leaves = 1'000'000;
  // false: the destructor writes nothing, leaving the store as a crash
  // would (crash tests, and the bench's figure for the open after one).
  bool checkpoint_keys_at_close = true;
};

class IndexBuilder {
 public:
  // Opens the index in `dir`, creating it as a map of `version` (map_fn.h)
  // when absent. kDataLoss when the stored keys do not recompute the stored
  // map root, or the stored version is not `version`; kInvalidArgument for a
  // version this binary does not know; the store's errors otherwise.
  static absl::StatusOr<std::unique_ptr<IndexBuilder>> Open(
      const std::string& dir, uint32_t version = kMapFnVersion);
  // The same with options. Also: kFailedPrecondition when the stored state
  // is past the key checkpoint and `options.input` is empty; kDataLoss when
  // the leaves it reads do not make the stored roots (the reader's errors
  // as they are).
  static absl::StatusOr<std::unique_ptr<IndexBuilder>> Open(
      const std::string& dir, BuilderOptions options);

  // Writes the key checkpoint unless the options say not to (best effort:
  // an error only leaves the re-apply to the next open).
  ~IndexBuilder();

  // The state after the last Apply (input size 0 and the empty map root
  // when new).
  const IndexState& state() const { return state_; }

  // Indexes `leaves`, the input log's leaves [state().input_size, at.size).
  // Errors, with nothing changed: kInvalidArgument when the count does not
  // match or at.size is below the indexed size; kDataLoss when the leaves
  // do not hash to at.root (or do not parse). A failed write is returned
  // and the builder refuses everything after it (reopen to recover).
  absl::Status Apply(const InputCheckpoint& at,
                     absl::Span<const std::string> leaves);

  // Writes the `k` records of every key changed since the last key
  // checkpoint, and the checkpoint, in one synced batch (Apply does every
  // `key_checkpoint_leaves`; the destructor too). Errors as Apply's write.
  absl::Status CheckpointKeys();

  // The input size the stored `k` records are at (FORMAT.md, "Storage").
  uint64_t key_checkpoint_size() const { return keys_at_.state.input_size; }

  // The map proof for `model_id` at the current state, and its value when
  // present (`value` may be null).
  MapProof Prove(absl::string_view model_id, KeyValue* value) const;

  // CPU seconds its store's background jobs (flushes, compactions) have
  // spent since it was opened (Store::BackgroundCpuSeconds): the part of
  // the build's cost not on the caller's thread.
  double StoreBackgroundCpuSeconds() const {
    return store_->BackgroundCpuSeconds();
  }
  // Whether its store has a flush or compaction running or pending
  // (Store::BackgroundWorkPending).
  bool StoreBackgroundWorkPending() const {
    return store_->BackgroundWorkPending();
  }

  // The key's totals at the current state (version 2), or nullopt for an
  // absent model or a version 1 index.
  std::optional<ModelTotals> Totals(absl::string_view model_id) const;

  // The key's list as an RFC 6962 compact range at the current state (the
  // empty range for an absent model): what a finding's index citation
  // extends (finding_citation.h).
  ledger::merkle::CompactRange ListRange(absl::string_view model_id) const;

  // Up to `max_count` leaf indices of `model_id`'s list from position
  // `start` (empty past the end or for an absent model).
  absl::StatusOr<std::vector<uint64_t>> List(absl::string_view model_id,
                                             uint64_t start,
                                             uint64_t max_count) const;

  // The stored nodes of the tree of the first `count` elements of
  // `model_id`'s list, for its range proofs (list_range.h); valid while the
  // builder lives. kInvalidArgument when the list has fewer elements.
  absl::StatusOr<StoredListNodes> ListNodes(absl::string_view model_id,
                                            uint64_t count) const;

 private:
  IndexBuilder(std::unique_ptr<ledger::storage::Store> store,
               BuilderOptions options)
      : store_(std::move(store)),
        map_(options.version),
        options_(std::move(options)) {
    map_.KeepListNodesFrom(kStoredListLevel);
  }
  absl::Status Load();
  // Reads the key checkpoint (the stored state when there is none: stores
  // written before it kept the `k` records at every update). Whether the
  // record was stored.
  absl::StatusOr<bool> LoadKeyCheckpoint();
  // Re-applies the input from the key checkpoint to the stored state,
  // writing nothing (the list entries and nodes are stored already).
  absl::Status ReapplyInput();
  // The layout of the stored `k` records (key_record.h): 1 when the store
  // has no layout record (written before it), kKeyRecordLayout otherwise;
  // kDataLoss for any other.
  absl::StatusOr<uint32_t> KeyRecordLayout() const;
  absl::Status LoadKeys();
  // Layout 1: `k` records without the fold state, which is in `t` records.
  // `keys` gets every key read, for RewriteLayoutOneKeys.
  absl::Status LoadLayoutOneKeys(std::vector<Hash>* keys);
  // Rewrites layout 1's records of `keys` as this layout's, deletes their
  // `t` records and writes the layout record: one batch.
  absl::Status RewriteLayoutOneKeys(const std::vector<Hash>& keys);
  // Checks the stored list-node level; writes the nodes of every list when
  // the store has none yet (FORMAT.md, "Storage").
  absl::Status LoadListNodes(bool new_store);
  absl::Status WriteMissingListNodes();
  absl::Status CheckInput(const InputCheckpoint& at,
                          absl::Span<const std::string> leaves,
                          ledger::merkle::CompactRange* input) const;
  // One element of a key's list: position `position` holds leaf `index`.
  struct ListEntry {
    Hash key;
    uint64_t position;
    uint64_t index;
  };
  absl::Status Write(std::vector<ListEntry> entries);
  // Puts the `k` records of the keys changed since the key checkpoint and
  // the new checkpoint (the current state) into `batch`.
  void PutKeyCheckpoint(ledger::storage::Batch* batch) const;
  // After the batch PutKeyCheckpoint filled is written: the records are at
  // the current state.
  void KeysCheckpointed();

  std::unique_ptr<ledger::storage::Store> store_;
  ModelMap map_;
  BuilderOptions options_;
  ledger::merkle::CompactRange input_;
  IndexState state_;
  // The state the stored `k` records make, and the keys changed since.
  KeyCheckpoint keys_at_;
  absl::flat_hash_set<Hash> changed_since_keys_;
  absl::Status broken_;
};

}  // namespace vindex

#endif  // INDEX_INDEX_BUILDER_H_
