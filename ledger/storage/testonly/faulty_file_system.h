// A RocksDB FileSystem that fails on command, for fault-injection tests.
//
// Every write-side operation (creating a writable file, Append, Sync/Fsync,
// Close of a writable file, RenameFile) is counted. With FailFrom(n), the
// n-th counted operation from now and every later one returns an I/O error,
// as a disk that died or filled up would; Heal() stops that. Reads are never
// failed, except that VanishTableFiles(n) makes the next n opens of table
// files (*.sst) report "no such file", as when a live writer's compaction
// deletes a file a read-only reader was about to open. Thread-safe.
//
// It cannot simulate power loss (dropping data written but not synced); the
// crash tests cover process death, and a power-cut test needs a VM.
#ifndef LEDGER_STORAGE_TESTONLY_FAULTY_FILE_SYSTEM_H_
#define LEDGER_STORAGE_TESTONLY_FAULTY_FILE_SYSTEM_H_

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace ledger::storage::testonly {

class FaultyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultyFileSystem();
  const char* Name() const override { return "FaultyFileSystem"; }

  // The n-th write-side operation from now (n ≥ 1) and all later ones fail.
  void FailFrom(uint64_t n) { fail_at_ = ops_.load() + n; }
  // Only the n-th write-side operation from now (n ≥ 1) fails.
  void FailOnce(uint64_t n) {
    fail_once_ = true;
    FailFrom(n);
  }
  void Heal() { fail_at_ = std::numeric_limits<uint64_t>::max(); }
  uint64_t ops() const { return ops_.load(); }
  bool failed_any() const { return failures_.load() > 0; }
  void VanishTableFiles(int n) { vanishing_tables_ = n; }

  // Counts one operation; returns an error when it must fail.
  rocksdb::IOStatus Tick(const char* what);

  rocksdb::IOStatus NewWritableFile(const std::string& f,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& f, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& f, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src,
                               const std::string& target,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

 private:
  std::atomic<uint64_t> ops_{0};
  std::atomic<uint64_t> fail_at_{std::numeric_limits<uint64_t>::max()};
  std::atomic<uint64_t> failures_{0};
  std::atomic<int> vanishing_tables_{0};
  std::atomic<bool> fail_once_{false};
};

// An Env over `fs` for StoreOptions::env. `fs` must outlive it.
std::unique_ptr<rocksdb::Env> MakeEnv(std::shared_ptr<FaultyFileSystem> fs);

}  // namespace ledger::storage::testonly

#endif  // LEDGER_STORAGE_TESTONLY_FAULTY_FILE_SYSTEM_H_
