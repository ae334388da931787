#include "ledger/audit.h"

#include "gtest/gtest.h"
#include "ledger/entry/byte_io.h"
#include "ledger/ledger.h"
#include "ledger/merkle/verify.h"
#include "ledger/storage/store.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using testonly::LedgerFixture;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = std::move(*LedgerFixture::Create());
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok());
    std::vector<std::string> envelopes;
    for (int i = 0; i < 600; ++i) {
      envelopes.push_back(*(*collector)
                               ->SignNext("aifl.collector.v1.IntervalReport",
                                          "interval " + std::to_string(i)));
    }
    for (const auto& r : f_->ledger().Append(envelopes))
      ASSERT_TRUE(r.status.ok());
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
    f_->Close();
  }

  // Rewrites one stored value, as a disk error or an attacker would.
  void Tamper(storage::Family family, const std::string& key, size_t byte) {
    auto store = storage::Store::Open(
        DbPath(f_->dir()), {storage::StoreOptions::Mode::kOpenExisting});
    ASSERT_TRUE(store.ok()) << store.status();
    auto value = (*store)->Get(family, key);
    ASSERT_TRUE(value.ok() && value->has_value());
    std::string changed = **value;
    changed[byte % changed.size()] ^= 0x01;
    storage::Batch batch;
    batch.Put(family, key, changed);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }

  std::unique_ptr<LedgerFixture> f_;
};

TEST_F(AuditTest, PassesOnAnHonestLedgerAndReportsProgress) {
  uint64_t last_progress = 0;
  AuditOptions options;
  options.progress = [&](uint64_t done, uint64_t total) {
    EXPECT_LE(done, total);
    last_progress = done;
  };
  auto report = AuditLedgerDir(f_->dir(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, 603u);
  EXPECT_EQ(report->latest_checkpoint_size, 603u);
  EXPECT_EQ(last_progress, 603u);
}

TEST_F(AuditTest, NamesTheLeafWhoseByteWasFlipped) {
  Tamper(storage::Family::kLeaves, keys::Leaf(321), 40);
  auto report = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  ASSERT_TRUE(report->first_bad_index.has_value()) << report->problem;
  EXPECT_EQ(*report->first_bad_index, 321u) << report->problem;
}

TEST_F(AuditTest, DetectsAFlippedSignatureByte) {
  Tamper(storage::Family::kLeaves, keys::Leaf(10),
         100000);  // wraps into the leaf
  auto report = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_index.value_or(0), 10u) << report->problem;
}

TEST_F(AuditTest, DetectsATamperedTreeBlockAndClientsRejectItsProofs) {
  Tamper(storage::Family::kTree, BlockKey(0), 5);  // leaf 0's stored hash
  auto report = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_index.value_or(999), 0u) << report->problem;
  EXPECT_NE(report->problem.find("tree"), std::string::npos) << report->problem;
  // Open-time checks are O(1) and cover only the frontier; a proof served
  // through the damaged block fails the client's verification.
  ASSERT_TRUE(f_->Reopen().ok());
  const uint64_t size = f_->ledger().Size();
  auto proof = f_->ledger().InclusionProof(1, size);
  ASSERT_TRUE(proof.ok());
  auto leaf = f_->ledger().GetLeaf(1);
  EXPECT_FALSE(merkle::VerifyInclusion(1, size, merkle::HashLeaf(*leaf), *proof,
                                       *f_->ledger().RootAt(size))
                   .ok());
}

TEST_F(AuditTest, DetectsATamperedCheckpoint) {
  Tamper(storage::Family::kMeta, std::string(keys::kLatestCheckpoint), 3);
  auto report = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_NE(report->problem.find("checkpoint"), std::string::npos)
      << report->problem;
  EXPECT_EQ(f_->Reopen().code(), absl::StatusCode::kDataLoss);
}

TEST_F(AuditTest, AcceptsAnOnlineSnapshot) {
  ASSERT_TRUE(f_->Reopen().ok());
  const std::string snapshot = testonly::FreshDir("snapshot") + "/copy";
  ASSERT_TRUE(f_->ledger().Snapshot(snapshot).ok());
  auto report = AuditLedgerDir(snapshot, {});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->problem;
}

}  // namespace
}  // namespace ledger
