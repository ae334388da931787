// Fault injection in storage: every write-side file operation RocksDB makes
// while the ledger appends a group and publishes a checkpoint is made to
// fail in turn (and every operation after it, as a dying disk would). After
// each injected fault the ledger must either report the error and keep its
// last good state, or recover on reopen: never acknowledge what is not
// durable, never serve a corrupted tree, never sign two roots for one size.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/checkpoint_note.h"
#include "ledger/ledger.h"
#include "ledger/storage/testonly/faulty_file_system.h"
#include "ledger/testonly/ledger_fixture.h"

namespace {

using ledger::storage::testonly::FaultyFileSystem;

constexpr char kType[] = "aifl.collector.v1.IntervalReport";

struct Outcome {
  bool appended = false;  // every Append result was OK
  bool checkpointed = false;
};

// Runs one append group + checkpoint with the n-th write operation failing
// (n = 0: no fault) and checks the invariants. Returns the operation count
// the step needed (for n = 0).
uint64_t RunWithFaultAt(uint64_t n, Outcome* outcome) {
  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto collector = std::move(*f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(f->AppendOne(*collector->SignNext(kType, "base")).ok());
  }
  EXPECT_TRUE(f->ledger().PublishCheckpoint().ok());
  const uint64_t base_size = f->ledger().Size();
  const std::string base_note = *f->ledger().LatestCheckpoint();
  f->Close();

  auto fs = std::make_shared<FaultyFileSystem>();
  std::unique_ptr<rocksdb::Env> env = ledger::storage::testonly::MakeEnv(fs);
  // Counting starts before the reopen, so faults also hit RocksDB's open
  // (new WAL, MANIFEST, OPTIONS files and their renames).
  if (n > 0) fs->FailFrom(n);
  std::vector<std::string> batch;
  for (int i = 0; i < 10; ++i)
    batch.push_back(*collector->SignNext(kType, "x"));
  std::optional<absl::StatusOr<std::string>> note;
  if (f->Reopen(env.get()).ok()) {
    // Two groups of five, then a checkpoint.
    outcome->appended = true;
    for (int g = 0; g < 2; ++g) {
      std::vector<std::string> group(batch.begin() + 5 * g,
                                     batch.begin() + 5 * (g + 1));
      const uint64_t size_before_group = f->ledger().Size();
      bool group_ok = true;
      for (const auto& r : f->ledger().Append(group)) {
        group_ok = group_ok && r.status.ok();
      }
      if (!group_ok) {
        // Nothing of a failed group is visible.
        EXPECT_EQ(f->ledger().Size(), size_before_group) << "fault at op " << n;
      }
      outcome->appended = outcome->appended && group_ok;
    }
    note = f->ledger().PublishCheckpoint();
    outcome->checkpointed = note->ok();
  }
  const uint64_t ops_used = fs->ops();
  f->Close();
  fs->Heal();
  // Reopen on a healthy disk: it must open and audit cleanly.
  absl::Status reopened = f->Reopen();
  EXPECT_TRUE(reopened.ok()) << "fault at op " << n << ": " << reopened;
  if (!reopened.ok()) return ops_used;
  const uint64_t size_after = f->ledger().Size();
  if (outcome->appended) {
    EXPECT_EQ(size_after, base_size + 10)
        << "acknowledged entries lost, op " << n;
  } else {
    // Whole groups only: each group is one synced WriteBatch.
    EXPECT_TRUE(size_after == base_size || size_after == base_size + 5 ||
                size_after == base_size + 10)
        << "partial group after fault at op " << n << ": size " << size_after;
  }
  // Audit with the ledger closed: a read-only RocksDB open beside a writer
  // that compacts can see a file the writer just deleted.
  f->Close();
  auto report = ledger::AuditLedgerDir(f->dir(), {});
  EXPECT_TRUE(f->Reopen().ok());
  EXPECT_TRUE(report.ok() && report->ok)
      << "fault at op " << n << ": "
      << (report.ok() ? report->problem : report.status().ToString());
  // One size, one root: the base checkpoint is still what is stored for it.
  auto stored_base = f->ledger().CheckpointAt(base_size);
  EXPECT_TRUE(stored_base.ok() && *stored_base == base_note) << "op " << n;
  if (outcome->checkpointed) {
    auto fields = ledger::VerifyCheckpoint(**note, f->ledger().origin(),
                                           f->ledger().log_public_key());
    EXPECT_TRUE(fields.ok());
    EXPECT_LE(fields->size, size_after);
    EXPECT_EQ(fields->root, *f->ledger().RootAt(fields->size)) << "op " << n;
  }
  // The ledger goes on: the same envelopes land (or are recognised).
  for (const auto& r : f->ledger().Append(batch)) {
    EXPECT_TRUE(r.status.ok()) << "after fault at op " << n << ": " << r.status;
  }
  EXPECT_EQ(f->ledger().Size(), base_size + 10);
  EXPECT_TRUE(f->ledger().PublishCheckpoint().ok());
  return ops_used;
}

TEST(StorageFaultTest, EveryWriteOperationFailingKeepsTheLedgerSound) {
  Outcome clean;
  const uint64_t ops = RunWithFaultAt(0, &clean);
  ASSERT_TRUE(clean.appended && clean.checkpointed);
  ASSERT_GT(ops, 0u) << "the faulty file system saw no writes";
  int failed_appends = 0;
  for (uint64_t n = 1; n <= ops; ++n) {
    Outcome outcome;
    RunWithFaultAt(n, &outcome);
    failed_appends += !outcome.appended;
  }
  // Faults early in the sequence hit the group's synced write itself.
  EXPECT_GT(failed_appends, 0);
  std::printf(
      "injected a fault at each of %llu write operations (open, two append "
      "groups, checkpoint); %d runs did not get every entry acknowledged, "
      "all recovered soundly\n",
      static_cast<unsigned long long>(ops), failed_appends);
}

}  // namespace
