// The updater and verify-index's replay, over real ledgers read through
// FolderLogReader (the LogReader every source implements), and output logs
// that lie in each way a served index could.
#include "api/index/index_replay.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/folder_log_reader.h"
#include "api/index/index_follow.h"
#include "api/index/input_tie.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/map_fn.h"
#include "index/model_map.h"
#include "index/output_log.h"
#include "index/testonly/model_log.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"

namespace api::index {
namespace {

using vindex::IndexUpdate;

class IndexReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto in = vindex::testonly::ModelLog::Create("test.example/factory");
    ASSERT_TRUE(in.ok()) << in.status();
    in_ = std::move(*in);
    auto out = ledger::testonly::LedgerFixture::Create("test.example/index");
    ASSERT_TRUE(out.ok()) << out.status();
    out_ = std::move(*out);
    auto signer = out_->EnrolNewKey(aifl::ledger::v1::ROLE_RULES);
    ASSERT_TRUE(signer.ok());
    auto log = vindex::OutputLog::Create(&out_->ledger(), std::move(*signer));
    ASSERT_TRUE(log.ok()) << log.status();
    output_ = std::move(*log);
    auto builder =
        vindex::IndexBuilder::Open(ledger::testonly::FreshDir("index"));
    ASSERT_TRUE(builder.ok()) << builder.status();
    builder_ = std::move(*builder);
  }

  void Grow(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(in_->Append(absl::StrCat("m", i % 3), i % 4).ok());
    }
    ASSERT_TRUE(in_->ledger().PublishCheckpoint().ok());
  }

  absl::StatusOr<FollowStep> Follow() {
    auto reader = client::FolderLogReader::Wrap(in_->ledger(), "in");
    if (!reader.ok()) return reader.status();
    return FollowOnce(**reader, *builder_, *output_);
  }

  absl::StatusOr<ReplayResult> Replay(ReplayOptions options = {}) {
    auto in = client::FolderLogReader::Wrap(in_->ledger(), "in");
    auto out = client::FolderLogReader::Wrap(out_->ledger(), "out");
    if (!in.ok() || !out.ok()) return absl::InternalError("reader");
    return ReplayIndex(**in, **out, options);
  }

  // The honest update at the input's current size, with `edit` applied to
  // the models of each leaf before it is indexed.
  IndexUpdate Update(
      const std::function<void(uint64_t, std::vector<std::string>&)>& edit) {
    vindex::ModelMap map;
    ledger::merkle::CompactRange range;
    const uint64_t size = in_->ledger().Size();
    for (uint64_t i = 0; i < size; ++i) {
      const std::string leaf = *in_->ledger().GetLeaf(i);
      vindex::MappedLeaf mapped = *vindex::MapLeaf(i, leaf);
      edit(i, mapped.models);
      if (payload_edit_) payload_edit_(mapped);
      EXPECT_TRUE(map.AddMapped(i, mapped).ok());
      range.Append(ledger::merkle::HashLeaf(leaf), nullptr);
    }
    map.Flush();
    IndexUpdate u;
    u.input_origin = in_->ledger().origin();
    u.state = {vindex::kMapFnVersion, size, range.Root(), map.Root(),
               map.key_count()};
    return u;
  }

  void ExpectCaught(const IndexUpdate& lie, absl::string_view why) {
    ASSERT_TRUE(output_->Publish(lie).ok());
    absl::StatusOr<ReplayResult> r = Replay();
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
    EXPECT_NE(r.status().message().find(why), absl::string_view::npos)
        << r.status();
  }

  std::unique_ptr<vindex::testonly::ModelLog> in_;
  std::unique_ptr<ledger::testonly::LedgerFixture> out_;
  std::unique_ptr<vindex::OutputLog> output_;
  std::unique_ptr<vindex::IndexBuilder> builder_;
  // Applied to each leaf's payload before Update folds it (a lying index
  // whose lists are right and whose totals are not).
  std::function<void(vindex::MappedLeaf&)> payload_edit_;
};

TEST_F(IndexReplayTest, HonestIndexReplaysAtEveryUpdate) {
  Grow(10);
  absl::StatusOr<FollowStep> step = Follow();
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_TRUE(step->published);
  EXPECT_EQ(step->state.input_size, in_->ledger().Size());
  Grow(7);
  ASSERT_TRUE(Follow().ok());
  step = Follow();  // nothing new: nothing appended
  ASSERT_TRUE(step.ok());
  EXPECT_FALSE(step->published);
  EXPECT_EQ(step->indexed_leaves, 0u);
  absl::StatusOr<ReplayResult> r = Replay(ReplayOptions{0});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->updates, 2u);
  EXPECT_EQ(r->indexed_size, in_->ledger().Size());
  EXPECT_EQ(r->map_root, builder_->state().map_root);
  // The updater's state is the honest update computed independently here.
  EXPECT_TRUE(Update([](uint64_t, std::vector<std::string>&) {
              }).state.map_root == builder_->state().map_root);
}

TEST_F(IndexReplayTest, AnIndexThatOmitsOneEntryIsCaught) {
  Grow(12);
  ASSERT_TRUE(Follow().ok());
  bool dropped = false;
  ExpectCaught(Update([&](uint64_t, std::vector<std::string>& models) {
                 if (!dropped && !models.empty() && models[0] == "m1") {
                   models.clear();
                   dropped = true;
                 }
               }),
               "map root");
  EXPECT_TRUE(dropped);
}

// Map version 2: every list right, one model's totals wrong (an interval's
// FLOP inflated): the replay recomputes the totals and catches it.
TEST_F(IndexReplayTest, AnIndexWithWrongTotalsIsCaught) {
  Grow(12);
  ASSERT_TRUE(Follow().ok());
  bool inflated = false;
  payload_edit_ = [&](vindex::MappedLeaf& leaf) {
    if (inflated || leaf.payload_type != "aifl.collector.v1.IntervalReport") {
      return;
    }
    aifl::collector::v1::IntervalReport r;
    ASSERT_TRUE(r.ParseFromString(leaf.payload));
    r.mutable_flop()->set_upper(r.flop().upper() + 1e24);
    leaf.payload = r.SerializeAsString();
    inflated = true;
  };
  ExpectCaught(Update([](uint64_t, std::vector<std::string>&) {}), "map root");
  EXPECT_TRUE(inflated);
}

TEST_F(IndexReplayTest, AnUpdateOfAnotherMapVersionIsCaught) {
  Grow(6);
  ASSERT_TRUE(Follow().ok());  // version 2
  IndexUpdate u = Update([](uint64_t, std::vector<std::string>&) {});
  u.state.map_fn_version = vindex::kMapFnVersion1;
  ExpectCaught(u, "MapFn v1 after updates of v2");
}

TEST_F(IndexReplayTest, AnIndexThatAddsAForeignEntryIsCaught) {
  Grow(12);
  ExpectCaught(Update([](uint64_t i, std::vector<std::string>& models) {
                 if (i == 3) models.push_back("m2");  // leaf 3 is not about m2
               }),
               "map root");
}

TEST_F(IndexReplayTest, AnIndexOfAnotherLogOrPrefixIsCaught) {
  Grow(6);
  IndexUpdate u = Update([](uint64_t, std::vector<std::string>&) {});
  u.state.input_root[0] ^= 1;
  ExpectCaught(u, "input root");
}

TEST_F(IndexReplayTest, AStaleIndexIsCaughtWhenAskedToBeCurrent) {
  Grow(6);
  ASSERT_TRUE(Follow().ok());
  Grow(5);  // the input moved on; the index did not
  absl::StatusOr<ReplayResult> r = Replay();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->input_size - r->indexed_size, 5u);
  r = Replay(ReplayOptions{4});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("stale index"), absl::string_view::npos);
  EXPECT_TRUE(Replay(ReplayOptions{5}).ok());
}

TEST_F(IndexReplayTest, AnIndexClaimingMoreThanTheLogHoldsIsCaught) {
  Grow(6);
  IndexUpdate u = Update([](uint64_t, std::vector<std::string>&) {});
  u.state.input_size += 1;
  ExpectCaught(u, "beyond the input log");
}

TEST_F(IndexReplayTest, AnUpdateIsTiedToTheClientsViewOfTheInput) {
  Grow(6);
  ASSERT_TRUE(Follow().ok());
  Grow(4);  // the client's view is ahead of the index: still a prefix
  auto reader = client::FolderLogReader::Wrap(in_->ledger(), "in");
  ASSERT_TRUE(reader.ok());
  IndexUpdate u{in_->ledger().origin(), builder_->state()};
  absl::StatusOr<uint64_t> at = CheckUpdateInInput(**reader, u);
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, in_->ledger().Size());
  IndexUpdate fork = u;
  fork.state.input_root[5] ^= 1;
  EXPECT_EQ(CheckUpdateInInput(**reader, fork).status().code(),
            absl::StatusCode::kDataLoss);
  IndexUpdate other = u;
  other.input_origin = "elsewhere.example/log";
  EXPECT_EQ(CheckUpdateInInput(**reader, other).status().code(),
            absl::StatusCode::kDataLoss);
}

// A source whose checkpoint names leaves it does not serve (a reader that
// returns no leaf past `served`: a half-copied static mirror, a broken
// implementation); everything else as the folder's.
class ShortReader : public client::LogReader {
 public:
  ShortReader(std::unique_ptr<client::LogReader> real, uint64_t served)
      : real_(std::move(real)), served_(served) {}
  std::string Source() const override { return "short " + real_->Source(); }
  std::string Origin() const override { return real_->Origin(); }
  absl::StatusOr<client::VerifiedCheckpoint> LatestCheckpoint() override {
    return real_->LatestCheckpoint();
  }
  absl::StatusOr<client::VerifiedCheckpoint> CheckpointAt(
      uint64_t size) override {
    return real_->CheckpointAt(size);
  }
  absl::StatusOr<std::vector<client::VerifiedLeaf>> ReadLeaves(
      const client::VerifiedCheckpoint& at, uint64_t start,
      uint64_t max_count) override {
    if (start >= served_) return std::vector<client::VerifiedLeaf>();
    return real_->ReadLeaves(at, start, std::min(max_count, served_ - start));
  }
  absl::StatusOr<client::ProvenLeaf> ProveLeaf(
      const client::VerifiedCheckpoint& at, uint64_t index) override {
    return real_->ProveLeaf(at, index);
  }
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const client::VerifiedCheckpoint& older,
      const client::VerifiedCheckpoint& newer) override {
    return real_->ProveConsistency(older, newer);
  }

 private:
  std::unique_ptr<client::LogReader> real_;
  uint64_t served_;
};

// The updater asked to index up to a size whose leaves never come fails at
// once, naming the source and the leaf (it looped forever before), and
// leaves the index and the output log as they were.
TEST_F(IndexReplayTest, AnInputThatNeverReachesItsCheckpointIsAnError) {
  Grow(6);
  ASSERT_TRUE(Follow().ok());
  const uint64_t indexed = builder_->state().input_size;
  Grow(5);
  const uint64_t size = in_->ledger().Size();
  auto folder = client::FolderLogReader::Wrap(in_->ledger(), "in");
  ASSERT_TRUE(folder.ok());
  ShortReader input(*std::move(folder), indexed + 2);
  const uint64_t published = out_->ledger().Size();
  absl::StatusOr<FollowStep> step = FollowOnce(input, *builder_, *output_);
  EXPECT_EQ(step.status().code(), absl::StatusCode::kOutOfRange)
      << step.status();
  EXPECT_NE(step.status().message().find(
                absl::StrCat("returned no leaf at ", indexed + 2,
                             " below its checkpoint's size ", size)),
            absl::string_view::npos)
      << step.status();
  EXPECT_EQ(builder_->state().input_size, indexed);
  EXPECT_EQ(out_->ledger().Size(), published);
}

}  // namespace
}  // namespace api::index
