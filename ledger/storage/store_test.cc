#include "ledger/storage/store.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "ledger/storage/testonly/faulty_file_system.h"

namespace ledger::storage {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(StoreTest, CreateWriteReopenRead) {
  const std::string path = TempPath("create_write_reopen");
  {
    auto store = Store::Open(path, {StoreOptions::Mode::kCreate});
    ASSERT_TRUE(store.ok()) << store.status();
    Batch batch;
    batch.Put(Family::kLeaves, "k1", "v1");
    batch.Put(Family::kMeta, "k1", "meta");
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  auto store = Store::Open(path, {StoreOptions::Mode::kOpenExisting});
  ASSERT_TRUE(store.ok()) << store.status();
  auto leaf = (*store)->Get(Family::kLeaves, "k1");
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->value_or(""), "v1");
  auto meta = (*store)->Get(Family::kMeta, "k1");
  EXPECT_EQ(meta->value_or(""), "meta");
  auto missing = (*store)->Get(Family::kTree, "k1");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(StoreTest, CreateRefusesExistingAndOpenRefusesMissing) {
  const std::string path = TempPath("refuse");
  ASSERT_TRUE(Store::Open(path, {StoreOptions::Mode::kCreate}).ok());
  EXPECT_EQ(Store::Open(path, {StoreOptions::Mode::kCreate}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      Store::Open(TempPath("nothing_here"), {StoreOptions::Mode::kOpenExisting})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
}

TEST(StoreTest, ReadOnlyOpensWhileWriterHoldsIt) {
  const std::string path = TempPath("readonly");
  auto writer = Store::Open(path, {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(writer.ok());
  Batch batch;
  batch.Put(Family::kLeaves, "a", "1");
  ASSERT_TRUE((*writer)->Write(&batch).ok());
  auto reader = Store::Open(path, {StoreOptions::Mode::kReadOnly});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->Get(Family::kLeaves, "a")->value_or(""), "1");
  Batch refused;
  refused.Put(Family::kLeaves, "b", "2");
  EXPECT_EQ((*reader)->Write(&refused).code(),
            absl::StatusCode::kFailedPrecondition);
}

// A read-only open beside a live writer can find a table file gone that the
// MANIFEST it read still names (a compaction deleted it); a retry sees the
// new MANIFEST. Store::Open retries; only a persistent failure is reported.
TEST(StoreTest, ReadOnlyOpenRetriesWhenATableFileVanishes) {
  const std::string path = TempPath("vanish");
  {
    auto writer = Store::Open(path, {StoreOptions::Mode::kCreate});
    ASSERT_TRUE(writer.ok()) << writer.status();
    Batch batch;
    batch.Put(Family::kLeaves, "k", "v");
    ASSERT_TRUE((*writer)->Write(&batch).ok());
  }  // closing flushes: the value now lives in a table file
  auto fs = std::make_shared<testonly::FaultyFileSystem>();
  std::unique_ptr<rocksdb::Env> env = testonly::MakeEnv(fs);
  StoreOptions options{StoreOptions::Mode::kReadOnly};
  options.env = env.get();

  fs->VanishTableFiles(2);
  auto reader = Store::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto value = (*reader)->Get(Family::kLeaves, "k");
  ASSERT_TRUE(value.ok() && value->has_value());
  EXPECT_EQ(**value, "v");
  reader->reset();

  // A file that stays missing is real damage.
  fs->VanishTableFiles(1000);
  auto failed = Store::Open(path, options);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss)
      << failed.status();
}

// Background CPU is 0 for a new store and grows once a memtable is flushed
// (writing past its 64 MiB write buffer schedules one).
TEST(StoreTest, BackgroundCpuCountsFlushes) {
  auto store = Store::Open(TempPath("bg_cpu"), {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->BackgroundCpuSeconds(), 0.0);
  const std::string value(1 << 20, 'v');
  for (int i = 0; i < 80; ++i) {
    Batch batch;
    batch.Put(Family::kLeaves, absl::StrCat("key", 1000 + i), value);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  double seconds = 0;
  for (int wait = 0; wait < 300 && seconds == 0; ++wait) {
    seconds = (*store)->BackgroundCpuSeconds();
    if (seconds == 0) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_GT(seconds, 0.0);
}

// Pending while the flush that a full write buffer schedules has not run;
// once it is not, the flush's CPU is counted.
TEST(StoreTest, BackgroundWorkPendingUntilTheFlushRan) {
  auto store =
      Store::Open(TempPath("bg_pending"), {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_FALSE((*store)->BackgroundWorkPending());
  const std::string value(1 << 20, 'v');
  for (int i = 0; i < 80; ++i) {
    Batch batch;
    batch.Put(Family::kLeaves, absl::StrCat("key", 1000 + i), value);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  for (int wait = 0; wait < 300 && (*store)->BackgroundWorkPending(); ++wait) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_FALSE((*store)->BackgroundWorkPending());
  EXPECT_GT((*store)->BackgroundCpuSeconds(), 0.0);
}

TEST(StoreTest, ScanVisitsRangeInOrder) {
  auto store = Store::Open(TempPath("scan"), {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(store.ok());
  Batch batch;
  for (const char* k : {"c", "a", "d", "b"}) batch.Put(Family::kIndex, k, k);
  ASSERT_TRUE((*store)->Write(&batch).ok());
  std::string seen;
  ASSERT_TRUE((*store)
                  ->Scan(Family::kIndex, "b", "d",
                         [&](absl::string_view k, absl::string_view) {
                           seen.append(k.data(), k.size());
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, "bc");
}

TEST(StoreTest, SnapshotOpensAsDatabase) {
  auto store = Store::Open(TempPath("snap_src"), {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(store.ok());
  Batch batch;
  batch.Put(Family::kLeaves, "x", "y");
  ASSERT_TRUE((*store)->Write(&batch).ok());
  const std::string out = TempPath("snap_out");
  ASSERT_TRUE((*store)->Snapshot(out).ok());
  EXPECT_EQ((*store)->Snapshot(out).code(), absl::StatusCode::kAlreadyExists);
  auto copy = Store::Open(out, {StoreOptions::Mode::kReadOnly});
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ((*copy)->Get(Family::kLeaves, "x")->value_or(""), "y");
}

TEST(StoreTest, GetPinnedSeesTheValueAndDeleteRemovesIt) {
  const std::string path = TempPath("pinned_delete");
  auto store = Store::Open(path, {StoreOptions::Mode::kCreate});
  ASSERT_TRUE(store.ok()) << store.status();
  Batch batch;
  batch.Put(Family::kTree, "x", "value-x");
  batch.Put(Family::kTree, "y", "value-y");
  ASSERT_TRUE((*store)->Write(&batch).ok());
  std::string seen;
  auto found = (*store)->GetPinned(
      Family::kTree, "x", [&](absl::string_view v) { seen = std::string(v); });
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
  EXPECT_EQ(seen, "value-x");
  Batch removal;
  removal.Delete(Family::kTree, "x");
  removal.Delete(Family::kTree, "never-there");
  ASSERT_TRUE((*store)->Write(&removal).ok());
  bool called = false;
  found = (*store)->GetPinned(Family::kTree, "x",
                              [&](absl::string_view) { called = true; });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(*found);
  EXPECT_FALSE(called);
  EXPECT_EQ((*store)->Get(Family::kTree, "y")->value_or(""), "value-y");
}

}  // namespace
}  // namespace ledger::storage
