// After a storage write error RocksDB refuses every later write until its
// background error is cleared. The store tries DB::Resume(); when that fails
// the ledger says so (Ledger::StorageFailure), so that the server can report
// NOT_SERVING and exit instead of answering while every append fails
// (issue 14 item 1).
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/storage/testonly/faulty_file_system.h"
#include "ledger/testonly/ledger_fixture.h"

namespace {

using ledger::storage::testonly::FaultyFileSystem;

constexpr char kType[] = "aifl.collector.v1.IntervalReport";

TEST(StorageFailureTest, AWriteErrorThatResumeCannotClearIsReported) {
  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto collector = std::move(*f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  f->Close();
  auto fs = std::make_shared<FaultyFileSystem>();
  std::unique_ptr<rocksdb::Env> env = ledger::storage::testonly::MakeEnv(fs);
  ASSERT_TRUE(f->Reopen(env.get()).ok());
  EXPECT_TRUE(f->ledger().StorageFailure().ok());
  ASSERT_TRUE(f->AppendOne(*collector->SignNext(kType, "a")).ok());

  fs->FailFrom(1);  // the disk dies: every write operation fails from now on
  auto result = f->ledger().Append({*collector->SignNext(kType, "b")});
  EXPECT_FALSE(result[0].status.ok());
  absl::Status failure = f->ledger().StorageFailure();
  EXPECT_FALSE(failure.ok());
  EXPECT_NE(failure.message().find("recovery (DB::Resume) failed"),
            std::string::npos)
      << failure;
  fs->Heal();
  f->Close();
}

// A failed WAL write is a fatal background error in RocksDB 7.8: Resume()
// cannot clear it (only a reopen, which replays the synced WAL), so even a
// single injected fault ends as a reported failure; a flush or compaction
// error (a "hard" error) is what Resume() recovers from.

}  // namespace
