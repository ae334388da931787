// Rollback protection fails closed: with checkpoints stored, a ledger opened
// for writing refuses to sign when its signed state is missing (deleted), or
// when the database is behind the signed state kept outside the folder (an
// old copy of the whole folder restored). Either would let the log key sign a
// second root for a size it already signed.
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/signed_head_check.h"
#include "ledger/signed_state.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

namespace fs = std::filesystem;
using aifl::ledger::v1::ROLE_COLLECTOR;
using testonly::LedgerFixture;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

class RollbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(ROLE_COLLECTOR, "factory", "node-1");
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  }

  absl::StatusOr<std::unique_ptr<Ledger>> Open(const std::string& state_dir,
                                               bool read_only = false) {
    LedgerOptions options;
    options.dir = f_->dir();
    options.clock = &f_->clock();
    options.signed_state_dir = state_dir;
    options.read_only = read_only;
    return Ledger::Open(options);
  }

  // Appends `n` entries and signs a checkpoint.
  void AppendAndSign(Ledger& ledger, int n, const std::string& tag) {
    for (int i = 0; i < n; ++i) {
      auto envelope = collector_->SignNext(kInterval, tag);
      ASSERT_TRUE(envelope.ok());
      ASSERT_TRUE(ledger.Append({*envelope})[0].status.ok());
    }
    ASSERT_TRUE(ledger.PublishCheckpoint().ok());
  }

  std::string DefaultStatePath() const {
    return SignedStatePath(DefaultLogKeyPath(f_->dir()));
  }

  std::unique_ptr<LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
};

TEST_F(RollbackTest, DeletedSignedStateRefusesToOpenForWriting) {
  AppendAndSign(f_->ledger(), 2, "a");
  f_->Close();
  ASSERT_TRUE(fs::remove(DefaultStatePath()));
  auto writer = Open("");
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition)
      << writer.status();
  EXPECT_NE(writer.status().message().find("signed state"), std::string::npos)
      << writer.status();
  EXPECT_NE(writer.status().message().find("restore-signed-state"),
            std::string::npos);
  // Reads still work: auditors can look at what is there.
  auto reader = Open("", /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.status();
}

TEST_F(RollbackTest, SignedStateDirHoldsTheStateOutsideTheFolder) {
  f_->Close();
  const std::string outside = testonly::FreshDir("signed-state");
  fs::rename(DefaultStatePath(),
             SignedStatePath(DefaultLogKeyPath(f_->dir()), outside));
  auto ledger = Open(outside);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  AppendAndSign(**ledger, 2, "a");
  EXPECT_FALSE(fs::exists(DefaultStatePath()));
  auto state = ReadSignedState(outside + "/log.key.signed-state");
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->size, (*ledger)->Size());
}

TEST_F(RollbackTest, RestoredOlderFolderRefusesWhenStateIsOutside) {
  f_->Close();
  const std::string outside = testonly::FreshDir("signed-state");
  fs::rename(DefaultStatePath(),
             SignedStatePath(DefaultLogKeyPath(f_->dir()), outside));
  const std::string backup = f_->dir() + ".backup";
  {
    auto ledger = Open(outside);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    AppendAndSign(**ledger, 2, "a");
  }
  fs::copy(f_->dir(), backup, fs::copy_options::recursive);
  uint64_t signed_size = 0;
  {
    auto ledger = Open(outside);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    AppendAndSign(**ledger, 3, "b");  // receipts given for these
    signed_size = (*ledger)->Size();
  }
  // The disk is lost; the operator restores yesterday's backup of the folder.
  fs::remove_all(f_->dir());
  fs::rename(backup, f_->dir());
  auto writer = Open(outside);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kDataLoss)
      << writer.status();
  // The comparison `ledgerctl verify` prints says which is ahead.
  auto reader = Open(outside, /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto state =
      ReadSignedState(SignedStatePath(DefaultLogKeyPath(f_->dir()), outside));
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->size, signed_size);
  auto compared = CompareTreeWithSignedHead(**reader, "signed state",
                                            (*state)->size, (*state)->root);
  ASSERT_TRUE(compared.ok());
  EXPECT_EQ(compared->verdict, HeadComparison::Verdict::kHeadAhead);
  EXPECT_NE(compared->message.find("3 signed entries missing"),
            std::string::npos)
      << compared->message;
}

TEST_F(RollbackTest, ComparisonSaysWhenTheTreeIsAheadOrDiffers) {
  const CheckpointFields head{f_->ledger().origin(), f_->ledger().Size(),
                              *f_->ledger().RootAt(f_->ledger().Size())};
  auto same =
      CompareTreeWithSignedHead(f_->ledger(), "x", head.size, head.root);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->verdict, HeadComparison::Verdict::kSame);
  AppendAndSign(f_->ledger(), 1, "c");
  auto ahead =
      CompareTreeWithSignedHead(f_->ledger(), "x", head.size, head.root);
  ASSERT_TRUE(ahead.ok());
  EXPECT_EQ(ahead->verdict, HeadComparison::Verdict::kTreeAhead);
  merkle::Hash other = head.root;
  other[0] ^= 1;
  auto differs = CompareTreeWithSignedHead(f_->ledger(), "x", head.size, other);
  ASSERT_TRUE(differs.ok());
  EXPECT_EQ(differs->verdict, HeadComparison::Verdict::kRootDiffers);
  EXPECT_FALSE(differs->ok());
}

}  // namespace
}  // namespace ledger
