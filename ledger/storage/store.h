// The ledger's RocksDB database: one column family per kind of record (layout
// in ledger/FORMAT.md, "Storage"). This class only adapts RocksDB: opening
// with the right options, batched synced writes, point reads, range scans and
// consistent online snapshots. What the keys mean is the Ledger's business.
//
// Thread-safe (RocksDB is); the Ledger serialises writers itself.
#ifndef LEDGER_STORAGE_STORE_H_
#define LEDGER_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class WriteBatch;
}  // namespace rocksdb

namespace ledger::storage {

// Column families. Values are stable: they index the handles vector.
enum class Family : int {
  kLeaves = 0,  // u64 index -> leaf bytes
  kTree = 1,    // u64 block -> 511 node hashes of one 256-leaf block
  kIndex = 2,   // lookup maps (key/sequence, leaf hash, next sequence)
  kKeys = 3,    // key id -> KeyRecord (derived from key events)
  kMeta = 4,    // origin, tree size, checkpoints, last integration time
};
inline constexpr int kFamilyCount = 5;

// Converts a RocksDB status at the boundary. Corruption becomes kDataLoss,
// I/O errors kUnavailable (the caller may retry), busy/locked kUnavailable
// with a hint that another process holds the database.
absl::Status FromRocksDb(const void* rocksdb_status, absl::string_view what);

// A group of writes applied atomically by Store::Write.
class Batch {
 public:
  Batch() = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  void Put(Family family, absl::string_view key, absl::string_view value);
  // Removes `key` (nothing happens when it is absent).
  void Delete(Family family, absl::string_view key);
  // Operations staged (puts and deletes).
  size_t count() const;
  // Key and value bytes staged.
  size_t bytes() const;

 private:
  friend class Store;
  struct Op {
    Family family;
    bool is_delete;
    std::string key;
    std::string value;
  };
  std::vector<Op> ops_;
};

struct StoreOptions {
  enum class Mode { kCreate, kOpenExisting, kReadOnly };
  Mode mode = Mode::kOpenExisting;
  // RocksDB block cache for leaves and tree blocks. Default: 256 MiB.
  size_t block_cache_bytes = 256 << 20;
  // A RocksDB Env to use instead of the default, e.g. a fault-injecting one in
  // tests. Not owned; must outlive the Store. Default: nullptr
  // (Env::Default()).
  rocksdb::Env* env = nullptr;
  // Table files kept open by a writable store (RocksDB max_open_files; -1 =
  // all, which grows with the database). Read-only stores keep all open
  // (see Store::Open). Default: -1.
  int max_open_files = -1;
  // How the group writer's memtable inserts are hinted (store.cc). kLedger:
  // per the ledger's key layout (leaves in index order, sequence keys per
  // key id, leaf-hash runs). kSortedRunsPerFamily: one hint for each family,
  // for a writer that puts each batch's keys of a family in sorted order
  // (the verifiable index, index/index_builder.cc): every insert then starts
  // from the previous one instead of the skiplist's top. Memory only: the
  // files are the same either way. Default: kLedger.
  enum class MemtableHints { kLedger, kSortedRunsPerFamily };
  MemtableHints memtable_hints = MemtableHints::kLedger;
};

class Store {
 public:
  // Opens (or, in kCreate mode, creates — failing with kAlreadyExists when a
  // database is already there) the database in `path`. kReadOnly works while
  // another process holds the database open for writing; it sees the state
  // as of opening. kNotFound when kOpenExisting/kReadOnly and none exists.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& path, const StoreOptions& options);
  // Flushes the memtables (so the next open has no WAL to replay) and closes.
  // A failed flush loses nothing: the synced WAL is replayed on the next open.
  ~Store();

  // Applies `batch` atomically with fsync (WriteOptions::sync = true): when
  // this returns OK the writes survive a crash or power loss.
  // kFailedPrecondition on a read-only store. When the write fails, RocksDB
  // stops writing (a background error); the store then tries DB::Resume()
  // once, and if that fails too, records the failure (see failure()): every
  // later write would fail as well.
  absl::Status Write(Batch* batch);

  // OK while writes can succeed; after a write error that DB::Resume() could
  // not clear, that error (kUnavailable, kResourceExhausted, kDataLoss…),
  // for good: the process should stop serving and exit (a restart recovers
  // from the synced WAL).
  absl::Status failure() const;

  // Point read: the value, std::nullopt when absent.
  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 absl::string_view key) const;

  // Point read without copying the value: calls `fn(value)` once, with the
  // value pinned in RocksDB's block cache or memtable (the view is valid only
  // during the call), and returns true; returns false without calling `fn`
  // when the key is absent. For reading a few bytes of a large value.
  absl::StatusOr<bool> GetPinned(
      Family family, absl::string_view key,
      absl::FunctionRef<void(absl::string_view)> fn) const;

  // Calls `fn(key, value)` for each key in [start, end) of `family`, in key
  // order, until it returns false. An empty `end` means "to the last key".
  absl::Status Scan(
      Family family, absl::string_view start, absl::string_view end,
      const std::function<bool(absl::string_view, absl::string_view)>& fn)
      const;

  // Writes a consistent copy of the database to `out_dir` (which must not
  // exist) using RocksDB checkpoints: hard links where possible. The copy
  // opens as a normal database.
  absl::Status Snapshot(const std::string& out_dir) const;

  // Approximate bytes on disk (SST + WAL), for status reports.
  uint64_t ApproximateDiskBytes() const;

  // Bytes in memtables, not yet written as table files: what a flush (at
  // close, or when the next open replays the WAL) needs on disk, at most.
  uint64_t UnflushedBytes() const;

  // CPU seconds RocksDB's background jobs (memtable flushes and
  // compactions) have spent on this database since it was opened, from its
  // compaction statistics (CompMergeCPU, summed over the families): the
  // writer's cost that runs on other threads, shared by every store of the
  // process. For benchmarks and status reports.
  double BackgroundCpuSeconds() const;

  // Whether a flush or compaction is running or waiting to run (RocksDB's
  // running and pending counts): a benchmark waits for false before it
  // reads BackgroundCpuSeconds, so that the work a write caused is counted
  // even when it runs after the write returned.
  bool BackgroundWorkPending() const;

  bool read_only() const { return read_only_; }

 private:
  Store() = default;

  mutable absl::Mutex failure_mu_;
  absl::Status failure_ ABSL_GUARDED_BY(failure_mu_);
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  bool read_only_ = false;
};

}  // namespace ledger::storage

#endif  // LEDGER_STORAGE_STORE_H_
