// FolderLogReader over a real ledger folder, and AuditLog over it: an honest
// folder verifies end to end; a changed leaf is kDataLoss naming the folder,
// and the audit names the leaf.
#include "api/client/folder_log_reader.h"

#include "api/client/log_audit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/storage/store.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace api::client {
namespace {

using ::testing::HasSubstr;

class FolderLogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = ledger::testonly::LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok()) << collector.status();
    for (int round = 0; round < 2; ++round) {
      std::vector<std::string> envelopes;
      for (int i = 0; i < 1100; ++i) {
        envelopes.push_back(*(*collector)
                                 ->SignNext("aifl.collector.v1.IntervalReport",
                                            "interval " + std::to_string(i)));
      }
      for (const auto& r : f_->ledger().Append(envelopes)) {
        ASSERT_TRUE(r.status.ok()) << r.status;
      }
      auto note = f_->ledger().PublishCheckpoint();
      ASSERT_TRUE(note.ok()) << note.status();
      if (round == 0) first_size_ = f_->ledger().Size();
    }
    size_ = f_->ledger().Size();
    f_->Close();
  }

  std::unique_ptr<FolderLogReader> OpenReader() {
    auto reader = FolderLogReader::Open(f_->dir(), "");
    EXPECT_TRUE(reader.ok()) << reader.status();
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  // Flips one bit of stored leaf `index`, as a disk error or an attacker
  // would.
  void TamperLeaf(uint64_t index) {
    auto store = ledger::storage::Store::Open(
        ledger::DbPath(f_->dir()),
        {ledger::storage::StoreOptions::Mode::kOpenExisting});
    ASSERT_TRUE(store.ok()) << store.status();
    const std::string key = ledger::keys::Leaf(index);
    auto value = (*store)->Get(ledger::storage::Family::kLeaves, key);
    ASSERT_TRUE(value.ok() && value->has_value());
    std::string changed = **value;
    changed[changed.size() - 1] ^= 0x01;
    ledger::storage::Batch batch;
    batch.Put(ledger::storage::Family::kLeaves, key, changed);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> f_;
  uint64_t first_size_ = 0;
  uint64_t size_ = 0;
};

TEST_F(FolderLogReaderTest, ReadsAndProvesAnHonestFolder) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Source(), "folder " + f_->dir());
  EXPECT_EQ(reader->Origin(), "test.example/ledger");
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->fields.size, size_);

  auto leaves = reader->ReadLeaves(*latest, 5, 3000);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  ASSERT_FALSE(leaves->empty());
  EXPECT_LE(leaves->size(), 1000u);
  EXPECT_EQ(leaves->front().index, 5u);

  auto proven = reader->ProveLeaf(*latest, 7);
  ASSERT_TRUE(proven.ok()) << proven.status();
  EXPECT_EQ(proven->index, 7u);
  EXPECT_FALSE(proven->proof.empty());
  EXPECT_EQ(reader->ProveLeaf(*latest, size_).status().code(),
            absl::StatusCode::kOutOfRange);

  auto older = reader->CheckpointAt(first_size_);
  ASSERT_TRUE(older.ok()) << older.status();
  auto proof = reader->ProveConsistency(*older, *latest);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_FALSE(proof->empty());
  EXPECT_EQ(reader->ProveConsistency(*latest, *older).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->CheckpointAt(first_size_ + 1).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FolderLogReaderTest, AuditPassesOnAnHonestFolder) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  uint64_t visited = 0;
  uint64_t last_progress = 0;
  LogAuditOptions options;
  options.visit = [&](uint64_t index, absl::string_view,
                      const ledger::KeyRegistry& registry) {
    EXPECT_EQ(index, visited++);
    EXPECT_GE(registry.size(), 1u);
    return absl::OkStatus();
  };
  options.progress = [&](uint64_t done, uint64_t) { last_progress = done; };
  auto report = AuditLog(*reader, *latest, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, size_);
  EXPECT_EQ(report->root, latest->fields.root);
  EXPECT_EQ(visited, size_);
  EXPECT_EQ(last_progress, size_);
}

TEST_F(FolderLogReaderTest, AChangedLeafIsDataLossAndTheAuditNamesIt) {
  TamperLeaf(1500);
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  const absl::Status proven = reader->ProveLeaf(*latest, 1500).status();
  EXPECT_EQ(proven.code(), absl::StatusCode::kDataLoss) << proven;
  EXPECT_THAT(std::string(proven.message()),
              HasSubstr("ledger folder " + f_->dir()));
  EXPECT_THAT(std::string(proven.message()), HasSubstr("inclusion proof"));
  EXPECT_EQ(reader->ReadLeaves(*latest, 1000, 1000).status().code(),
            absl::StatusCode::kDataLoss);

  auto report = AuditLog(*reader, *latest);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok);
  EXPECT_THAT(report->problem, HasSubstr("leaf 1500"));
}

}  // namespace
}  // namespace api::client
