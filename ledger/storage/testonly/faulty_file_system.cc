#include "ledger/storage/testonly/faulty_file_system.h"

namespace ledger::storage::testonly {
namespace {

// A writable file whose writes, syncs and close go through Tick().
class FaultyWritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyWritableFile(std::unique_ptr<rocksdb::FSWritableFile> target,
                     FaultyFileSystem* fs)
      : FSWritableFileOwnerWrapper(std::move(target)), fs_(fs) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->Tick("append");
    return s.ok() ? FSWritableFileOwnerWrapper::Append(data, options, dbg) : s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->Tick("append");
    return s.ok() ? FSWritableFileOwnerWrapper::Append(data, options, info, dbg)
                  : s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->Tick("sync");
    return s.ok() ? FSWritableFileOwnerWrapper::Sync(options, dbg) : s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->Tick("fsync");
    return s.ok() ? FSWritableFileOwnerWrapper::Fsync(options, dbg) : s;
  }
  rocksdb::IOStatus Close(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->Tick("close");
    // Close the real file either way, so no descriptor leaks.
    rocksdb::IOStatus closed = FSWritableFileOwnerWrapper::Close(options, dbg);
    return s.ok() ? closed : s;
  }

 private:
  FaultyFileSystem* fs_;
};

}  // namespace

FaultyFileSystem::FaultyFileSystem()
    : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

rocksdb::IOStatus FaultyFileSystem::Tick(const char* what) {
  const uint64_t n = ++ops_;
  if (n < fail_at_.load()) return rocksdb::IOStatus::OK();
  if (fail_once_.exchange(false)) Heal();
  ++failures_;
  return rocksdb::IOStatus::IOError(std::string("injected fault: ") + what);
}

rocksdb::IOStatus FaultyFileSystem::NewWritableFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = Tick("create");
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, options, &file, dbg);
  if (s.ok()) r->reset(new FaultyWritableFile(std::move(file), this));
  return s;
}

rocksdb::IOStatus FaultyFileSystem::NewRandomAccessFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
    rocksdb::IODebugContext* dbg) {
  const bool table = f.size() > 4 && f.compare(f.size() - 4, 4, ".sst") == 0;
  if (table && vanishing_tables_.fetch_sub(1) > 0) {
    return rocksdb::IOStatus::PathNotFound("injected: " + f +
                                           " was deleted (compaction)");
  }
  return target()->NewRandomAccessFile(f, options, r, dbg);
}

rocksdb::IOStatus FaultyFileSystem::ReopenWritableFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = Tick("reopen");
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, options, &file, dbg);
  if (s.ok()) r->reset(new FaultyWritableFile(std::move(file), this));
  return s;
}

rocksdb::IOStatus FaultyFileSystem::RenameFile(
    const std::string& src, const std::string& target_name,
    const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = Tick("rename");
  return s.ok() ? target()->RenameFile(src, target_name, options, dbg) : s;
}

std::unique_ptr<rocksdb::Env> MakeEnv(std::shared_ptr<FaultyFileSystem> fs) {
  return rocksdb::NewCompositeEnv(fs);
}

}  // namespace ledger::storage::testonly
