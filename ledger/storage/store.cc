#include "ledger/storage/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/durable_file.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"

namespace ledger::storage {
namespace {

const char* const kFamilyNames[kFamilyCount] = {"leaves", "tree", "index",
                                                "keys", "meta"};

rocksdb::Options DbOptions(const StoreOptions& options) {
  rocksdb::Options db;
  db.create_if_missing = options.mode == StoreOptions::Mode::kCreate;
  db.create_missing_column_families =
      options.mode == StoreOptions::Mode::kCreate;
  db.error_if_exists = options.mode == StoreOptions::Mode::kCreate;
  db.paranoid_checks = true;
  // Read-only: keep every table file open (RocksDB's default, stated because
  // read-only opens beside a live server rely on it: see Store::Open). A
  // writer may bound it, so that descriptors stay predictable.
  db.max_open_files = options.mode == StoreOptions::Mode::kReadOnly
                          ? -1
                          : options.max_open_files;
  if (options.env != nullptr) db.env = options.env;
  // One writer (the ledger's group commit) and small, sequential keys: a
  // larger memtable means fewer flushes during bulk ingest.
  db.write_buffer_size = 64 << 20;
  db.max_background_jobs = 2;
  db.bytes_per_sync = 1 << 20;
  // The meta family gets a few bytes per append group and would otherwise
  // never fill its memtable, pinning every WAL file until the default limit
  // (4 × all write buffers, ~3 GiB): a crash-reopen would replay all of it.
  // Capping the WAL flushes such families early and bounds replay time.
  db.max_total_wal_size = 256 << 20;
  return db;
}

// Memtable insert hints: RocksDB's skiplist can insert a key right after the
// previous key of the same "prefix" instead of searching from the top, which
// is O(1) for keys that arrive in order. The group-commit leader inserts
// every key of a group alone (no concurrent memtable writers), and profiling
// showed the memtable search as the largest part of its serial work. Leaves
// arrive in index order (one run for the family); "k" ‖ key id ‖ sequence
// index keys arrive in sequence order per key id, and leaf-hash keys in
// sorted runs (ledger/index_runs.h). Small families get no hint.
class WholeFamilyRun : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "aifl.WholeFamilyRun"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), 0);
  }
  bool InDomain(const rocksdb::Slice&) const override { return true; }
};

// The index family's runs: "k" ‖ 16-byte key id ‖ sequence keys arrive in
// sequence order per key id; "h" ‖ leaf hash keys arrive as sorted runs (one
// hint for all of them: a hint lets RocksDB repair its splice from the
// bottom level up, where its own last-insert splice starts over from the top
// whenever a key is not adjacent to the previous one, as in a run merged
// into a memtable that holds earlier runs).
class IndexFamilyRuns : public rocksdb::SliceTransform {
 public:
  // ledger/storage_keys.h.
  static constexpr size_t kKeyIdPrefix = 17;
  const char* Name() const override { return "aifl.IndexFamilyRuns"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key[0] == 'k' ? kKeyIdPrefix : 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return (key.size() > kKeyIdPrefix && key[0] == 'k') ||
           (key.size() > 1 && key[0] == 'h');
  }
};

rocksdb::ColumnFamilyOptions FamilyOptions(const StoreOptions& options) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = 64 << 20;
  rocksdb::BlockBasedTableOptions table;
  static std::shared_ptr<rocksdb::Cache>
      cache;  // shared by all stores in a process
  if (!cache) cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = false;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

}  // namespace

absl::Status FromRocksDb(const void* rocksdb_status, absl::string_view what) {
  const auto& s = *static_cast<const rocksdb::Status*>(rocksdb_status);
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(absl::StrCat(
        message, " (is another process, e.g. a running server, using it?)"));
  }
  // NoSpace is an IOError subcode: test it first.
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut() || s.IsIOError()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

void Batch::Put(Family family, absl::string_view key, absl::string_view value) {
  ops_.push_back({family, false, std::string(key), std::string(value)});
}

void Batch::Delete(Family family, absl::string_view key) {
  ops_.push_back({family, true, std::string(key), std::string()});
}

size_t Batch::count() const { return ops_.size(); }

size_t Batch::bytes() const {
  size_t n = 0;
  for (const Op& op : ops_) n += op.key.size() + op.value.size();
  return n;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const std::string& path, const StoreOptions& options) {
  const bool exists = common::PathExists(path + "/CURRENT");
  if (options.mode == StoreOptions::Mode::kCreate && exists) {
    return absl::AlreadyExistsError(
        absl::StrCat("a ledger database already exists in ", path));
  }
  if (options.mode != StoreOptions::Mode::kCreate && !exists) {
    return absl::NotFoundError(absl::StrCat("no ledger database in ", path));
  }
  const rocksdb::Options db_options = DbOptions(options);
  const rocksdb::ColumnFamilyOptions cf_options = FamilyOptions(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (int f = 0; f < kFamilyCount; ++f) {
    rocksdb::ColumnFamilyOptions family_options = cf_options;
    if (options.memtable_hints ==
        StoreOptions::MemtableHints::kSortedRunsPerFamily) {
      family_options.memtable_insert_with_hint_prefix_extractor =
          std::make_shared<WholeFamilyRun>();
    } else if (f == static_cast<int>(Family::kLeaves)) {
      family_options.memtable_insert_with_hint_prefix_extractor =
          std::make_shared<WholeFamilyRun>();
    } else if (f == static_cast<int>(Family::kIndex)) {
      family_options.memtable_insert_with_hint_prefix_extractor =
          std::make_shared<IndexFamilyRuns>();
    }
    families.emplace_back(kFamilyNames[f], family_options);
  }

  auto store = std::unique_ptr<Store>(new Store());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s;
  if (options.mode == StoreOptions::Mode::kReadOnly) {
    store->read_only_ = true;
    // A server may hold the database open and be flushing or compacting: a
    // file the MANIFEST named can be deleted (or the MANIFEST rolled) between
    // our reading the list and opening the files. Such an open fails with an
    // IO error and succeeds when simply retried. Once open, every table file
    // stays open (max_open_files = -1), so later deletions do not matter.
    for (int attempt = 1;; ++attempt) {
      s = rocksdb::DB::OpenForReadOnly(db_options, path, families, &handles,
                                       &db);
      // RocksDB reports a vanished table file as Corruption wrapping the IO
      // error: retry that too rather than alarm the reader with DATA_LOSS.
      const bool vanished =
          s.IsIOError() || s.IsPathNotFound() ||
          (s.IsCorruption() &&
           s.ToString().find("No such file") != std::string::npos);
      if (s.ok() || !vanished || attempt == 10) break;
      ::usleep(20'000 * attempt);
    }
  } else {
    s = rocksdb::DB::Open(db_options, path, families, &handles, &db);
  }
  if (!s.ok()) return FromRocksDb(&s, absl::StrCat("opening ", path));
  store->db_.reset(db);
  // handles[0] is the default family, unused; keep it to destroy it properly.
  store->handles_ = std::move(handles);
  return store;
}

Store::~Store() {
  if (db_ != nullptr && !read_only_) {
    // Best effort: the WAL is synced, so a failed flush only means a slower
    // next open (WAL replay).
    std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin() + 1,
                                                       handles_.end());
    db_->Flush(rocksdb::FlushOptions(), families).PermitUncheckedError();
  }
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    // Destroying handles cannot fail in a way we could act on at shutdown.
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  handles_.clear();
  if (db_ != nullptr && !read_only_) db_->Close().PermitUncheckedError();
}

absl::Status Store::Write(Batch* batch) {
  if (read_only_)
    return absl::FailedPreconditionError("the ledger is open read-only");
  // Reserved once: the staged bytes plus each record's tag, family and
  // two lengths (RocksDB's batch format), so the copy is never regrown.
  rocksdb::WriteBatch wb(batch->bytes() + 16 * batch->count() + 12);
  for (const Batch::Op& op : batch->ops_) {
    rocksdb::ColumnFamilyHandle* family =
        handles_[1 + static_cast<int>(op.family)];
    rocksdb::Status s = op.is_delete ? wb.Delete(family, op.key)
                                     : wb.Put(family, op.key, op.value);
    if (!s.ok()) return FromRocksDb(&s, "staging a write");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  rocksdb::Status s = db_->Write(write_options, &wb);
  if (s.ok()) return absl::OkStatus();
  absl::Status failed = FromRocksDb(&s, "writing to the ledger database");
  // Nothing of this batch is acknowledged. RocksDB refuses every later write
  // until its background error is cleared: try once, and remember when it
  // cannot be.
  rocksdb::Status resumed = db_->Resume();
  if (!resumed.ok()) {
    absl::MutexLock lock(&failure_mu_);
    if (failure_.ok()) {
      failure_ = absl::Status(
          failed.code(),
          absl::StrCat(failed.message(),
                       "; recovery (DB::Resume) failed: ", resumed.ToString()));
    }
  }
  return failed;
}

absl::Status Store::failure() const {
  absl::MutexLock lock(&failure_mu_);
  return failure_;
}

absl::StatusOr<std::optional<std::string>> Store::Get(
    Family family, absl::string_view key) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), handles_[1 + static_cast<int>(family)],
               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksDb(&s, "reading the ledger database");
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<bool> Store::GetPinned(
    Family family, absl::string_view key,
    absl::FunctionRef<void(absl::string_view)> fn) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), handles_[1 + static_cast<int>(family)],
               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocksDb(&s, "reading the ledger database");
  fn(absl::string_view(value.data(), value.size()));
  return true;
}

absl::Status Store::Scan(
    Family family, absl::string_view start, absl::string_view end,
    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache =
      false;  // scans (audits) must not evict hot proof blocks
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handles_[1 + static_cast<int>(family)]));
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid();
       it->Next()) {
    const rocksdb::Slice k = it->key();
    const absl::string_view key(k.data(), k.size());
    if (!end.empty() && key >= end) break;
    const rocksdb::Slice v = it->value();
    if (!fn(key, absl::string_view(v.data(), v.size()))) break;
  }
  rocksdb::Status s = it->status();
  return FromRocksDb(&s, "scanning the ledger database");
}

absl::Status Store::Snapshot(const std::string& out_dir) const {
  if (common::PathExists(out_dir)) {
    return absl::AlreadyExistsError(
        absl::StrCat("snapshot target ", out_dir, " already exists"));
  }
  rocksdb::Checkpoint* checkpoint = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &checkpoint);
  if (!s.ok()) return FromRocksDb(&s, "preparing a snapshot");
  std::unique_ptr<rocksdb::Checkpoint> owned(checkpoint);
  s = owned->CreateCheckpoint(out_dir);
  return FromRocksDb(&s, absl::StrCat("writing a snapshot to ", out_dir));
}

uint64_t Store::ApproximateDiskBytes() const {
  uint64_t total = 0;
  for (size_t i = 1; i < handles_.size(); ++i) {
    uint64_t v = 0;
    if (db_->GetIntProperty(handles_[i], "rocksdb.total-sst-files-size", &v))
      total += v;
    if (db_->GetIntProperty(handles_[i], "rocksdb.size-all-mem-tables", &v))
      total += v;
  }
  return total;
}

uint64_t Store::UnflushedBytes() const {
  uint64_t total = 0;
  for (size_t i = 1; i < handles_.size(); ++i) {
    uint64_t v = 0;
    if (db_->GetIntProperty(handles_[i], "rocksdb.size-all-mem-tables", &v))
      total += v;
  }
  return total;
}

double Store::BackgroundCpuSeconds() const {
  double total = 0;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    std::map<std::string, std::string> stats;
    if (!db_->GetMapProperty(handle, rocksdb::DB::Properties::kCFStats,
                             &stats)) {
      continue;
    }
    auto it = stats.find("compaction.Sum.CompMergeCPU");
    if (it != stats.end()) total += std::strtod(it->second.c_str(), nullptr);
  }
  return total;
}

bool Store::BackgroundWorkPending() const {
  uint64_t count = 0;
  for (const std::string& running :
       {rocksdb::DB::Properties::kNumRunningCompactions,
        rocksdb::DB::Properties::kNumRunningFlushes}) {
    if (db_->GetIntProperty(running, &count) && count > 0) return true;
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    for (const std::string& pending :
         {rocksdb::DB::Properties::kCompactionPending,
          rocksdb::DB::Properties::kMemTableFlushPending}) {
      if (db_->GetIntProperty(handle, pending, &count) && count > 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace ledger::storage
