// The options of a ledger, the result of one append, and the paths inside a
// ledger folder: shared by the Ledger facade (ledger.h) and its three parts,
// the Sequencer, the Checkpointer and the StoredLog.
#ifndef LEDGER_LEDGER_OPTIONS_H_
#define LEDGER_LEDGER_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "ledger/commit_observer.h"
#include "ledger/entry/leaf.h"
#include "ledger/index_runs.h"
#include "ledger/storage/store.h"

namespace ledger {

struct LedgerOptions {
  // The ledger folder (made by InitLedger): db/ and keys/.
  std::string dir;
  // Time source for integration times. Not owned. Default: the real clock.
  common::Clock* clock = nullptr;
  // Open for reading only (works while a server holds the ledger). Default:
  // false.
  bool read_only = false;
  // The log's checkpoint signing key. Default: <dir>/keys/log.key. When the
  // file is absent the ledger still opens but cannot publish checkpoints.
  std::string log_key_path;
  // Where the signed state of each log key is kept (see SignedStatePath).
  // Keep it outside the ledger folder and its backups, so that restoring an
  // old copy of the folder cannot also restore an old signed state. Default:
  // "" (beside the log key, <log key path>.signed-state).
  std::string signed_state_dir;
  // The most entries one group commit writes. Default: 8192.
  size_t max_group_entries = 8192;
  // Memory for complete tree blocks (16 KiB per 256 leaves), most recent
  // first, so inclusion proofs skip RocksDB. The default 1 GiB covers the
  // last 16.7M leaves: every proof of a 10M-entry ledger (610 MiB) is served
  // from memory (~175–300k proofs/s per core, vs 77–140k/s with 256 MiB).
  // Filled only as blocks complete and as proofs read them, so a small log,
  // or a tool that reads little, uses little of it.
  size_t tree_cache_bytes = size_t{1} << 30;
  // Appends are refused (kResourceExhausted) while the filesystem holding
  // `dir` has less than this many bytes free (see free_space_floor.h), not
  // counting the space that flushing the memtables will take; reads go on.
  // 0 = no floor. Default: 0 (the server sets --min_free_mb).
  uint64_t min_free_bytes = 0;
  // Appends whose leaf would be longer than this are refused
  // (kInvalidArgument naming the limit). Default: entry::kMaxLeafSize, the
  // tlog-tiles limit; tests raise it to make a ledger like those written
  // before the limit existed.
  size_t max_leaf_bytes = entry::kMaxLeafSize;
  // How often the free space is measured at most. Default: 100 ms.
  absl::Duration free_space_recheck = absl::Milliseconds(100);
  // Measures the free bytes; tests inject it. Default: statvfs of `dir`
  // less Store::UnflushedBytes().
  std::function<absl::StatusOr<uint64_t>()> free_space_probe;
  // Leaves whose index keys are written together, as sorted runs (see
  // index_runs.h). Tests make it small.
  uint64_t index_run_leaves = IndexRuns::kDefaultRunLeaves;
  // The clock is simulated (tools/factory_sim, demos, tests), not a real
  // clock. Opened for writing with it, the ledger records the meta value
  // `simulated_clock` (the tree size then) unless already present; the mark
  // is sticky: opening later with false keeps it. Read-only opens ignore
  // it. Default: false.
  bool simulated_clock = false;
  // Told about every group commit (metrics). Not owned; must outlive the
  // ledger. Default: none.
  CommitObserver* commit_observer = nullptr;
  storage::StoreOptions store_options;
};

// The outcome of appending one envelope.
struct AppendResult {
  absl::Status status;  // OK: durable at leaf_index
  uint64_t leaf_index = 0;
  int64_t integration_time_micros = 0;
  // True when this (key, sequence, bytes) was already in the log: the result
  // is the original receipt and nothing was appended.
  bool duplicate = false;
};

// Paths inside a ledger folder.
std::string DbPath(const std::string& dir);
std::string KeysPath(const std::string& dir);
std::string DefaultLogKeyPath(const std::string& dir);
std::string DefaultAdminKeyPath(const std::string& dir);
// The signed-state file of the log key in `log_key_path`: beside it
// (`<log_key_path>.signed-state`) when `signed_state_dir` is empty, else
// `<signed_state_dir>/<file name of log_key_path>.signed-state`.
std::string SignedStatePath(const std::string& log_key_path,
                            const std::string& signed_state_dir = "");

}  // namespace ledger

#endif  // LEDGER_LEDGER_OPTIONS_H_
