#include "index/index_builder.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/map_fn.h"
#include "index/model_map.h"
#include "index/testonly/model_log.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"

namespace vindex {
namespace {

using testonly::ModelLog;

class IndexBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ModelLog>> log = ModelLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    dir_ = ledger::testonly::FreshDir("index");
  }

  // Appends `n` entries cycling over models m0..m4 and the entry kinds.
  void AppendSome(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(log_->Append(absl::StrCat("m", i % 5), i % 5).ok());
    }
  }

  absl::Status CatchUp(IndexBuilder& b) {
    absl::StatusOr<InputCheckpoint> cp = log_->Checkpoint();
    if (!cp.ok()) return cp.status();
    absl::StatusOr<std::vector<std::string>> leaves =
        log_->Leaves(b.state().input_size, cp->size);
    if (!leaves.ok()) return leaves.status();
    return b.Apply(*cp, *leaves);
  }

  std::unique_ptr<ModelLog> log_;
  std::string dir_;
};

TEST_F(IndexBuilderTest, ListsHoldEveryLeafAboutTheModelAndProve) {
  AppendSome(20);
  absl::StatusOr<std::unique_ptr<IndexBuilder>> b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(CatchUp(**b).ok());
  // Every leaf of the log, re-run through MapFn: the expected lists.
  const uint64_t size = log_->ledger().Size();
  std::vector<uint64_t> want;
  for (uint64_t i = 0; i < size; ++i) {
    absl::StatusOr<std::vector<std::string>> models =
        ModelsOfLeaf(i, *log_->ledger().GetLeaf(i));
    ASSERT_TRUE(models.ok());
    for (const std::string& m : *models) {
      if (m == "m2") want.push_back(i);
    }
  }
  ASSERT_EQ(want.size(), 4u);
  absl::StatusOr<std::vector<uint64_t>> got = (*b)->List("m2", 0, 100);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, want);
  EXPECT_EQ(*(*b)->List("m2", 3, 100), std::vector<uint64_t>{want[3]});
  // Kind 4 is a Blob: about no model, so m4 has no list.
  KeyValue value;
  EXPECT_NE((*b)->Prove("m4", &value).kind, MapProof::Kind::kMember);
  const MapProof proof = (*b)->Prove("m2", &value);
  ledger::merkle::CompactRange list;
  for (uint64_t i : want) list.Append(ListLeafHash(i), nullptr);
  EXPECT_EQ(value.count, want.size());
  EXPECT_EQ(value.list_root, list.Root());
  EXPECT_TRUE(value.has_totals);  // map version 2 (model_totals_test.cc)
  EXPECT_TRUE(
      VerifyMembership((*b)->state().map_root, KeyHash("m2"), value, proof)
          .ok());
  EXPECT_EQ((*b)->state().key_count, 4u);
}

// A declaration of a further development names two models (itself and its
// base): the one leaf goes on both lists, and a reopen finds the same state.
TEST_F(IndexBuilderTest, ALeafAboutTwoModelsGoesOnBothLists) {
  AppendSome(3);
  auto provider =
      log_->fixture().EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER).value();
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("m-derived");
  d.mutable_base_model()->set_model_id("m1");
  const uint64_t leaf =
      log_->fixture()
          .AppendOne(provider
                         ->SignNext("aifl.provider.v1.ModelDeclaration",
                                    d.SerializeAsString())
                         .value())
          .value();
  AppendSome(2);
  absl::StatusOr<std::unique_ptr<IndexBuilder>> b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  absl::Status caught_up = CatchUp(**b);
  ASSERT_TRUE(caught_up.ok()) << caught_up;
  EXPECT_EQ(*(*b)->List("m-derived", 0, 100), std::vector<uint64_t>{leaf});
  const std::vector<uint64_t> base = *(*b)->List("m1", 0, 100);
  EXPECT_NE(std::find(base.begin(), base.end(), leaf), base.end());
  const IndexState state = (*b)->state();
  b->reset();
  b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().map_root, state.map_root);
}

TEST_F(IndexBuilderTest, IncrementalEqualsOneShotAndResumesAfterReopen) {
  const std::string one_dir = ledger::testonly::FreshDir("one");
  AppendSome(7);
  {
    auto b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(CatchUp(**b).ok());
    AppendSome(1);
    ASSERT_TRUE(CatchUp(**b).ok());
  }
  AppendSome(9);
  auto b = IndexBuilder::Open(dir_);  // resumes at the stored state
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().input_size, log_->ledger().Size() - 9);
  ASSERT_TRUE(CatchUp(**b).ok());
  auto one = IndexBuilder::Open(one_dir);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(CatchUp(**one).ok());
  EXPECT_EQ((*b)->state().map_root, (*one)->state().map_root);
  EXPECT_EQ((*b)->state().input_root, (*one)->state().input_root);
  EXPECT_EQ(*(*b)->List("m1", 0, 100), *(*one)->List("m1", 0, 100));
  // A replay in memory (what verify-index does) gets the same root.
  ModelMap replay;
  for (uint64_t i = 0; i < log_->ledger().Size(); ++i) {
    ASSERT_TRUE(replay.AddLeaf(i, *log_->ledger().GetLeaf(i)).ok());
  }
  replay.Flush();
  EXPECT_EQ(replay.Root(), (*b)->state().map_root);
}

// Map version 2: each key's totals are the fold of its IntervalReports in
// log order, kept across a reopen; a version 1 index stays buildable, and
// neither opens as the other.
TEST_F(IndexBuilderTest, VersionTwoKeepsEachModelsTotals) {
  AppendSome(12);
  {
    auto b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(CatchUp(**b).ok());
  }
  AppendSome(13);
  auto b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(CatchUp(**b).ok());
  TotalsFold want;
  for (uint64_t i = 0; i < log_->ledger().Size(); ++i) {
    MappedLeaf leaf = *MapLeaf(i, *log_->ledger().GetLeaf(i));
    if (leaf.payload_type != "aifl.collector.v1.IntervalReport" ||
        leaf.models != std::vector<std::string>{"m1"}) {
      continue;
    }
    aifl::collector::v1::IntervalReport r;
    ASSERT_TRUE(r.ParseFromString(leaf.payload));
    want.AddInterval(r);
  }
  ASSERT_EQ(want.totals().training_intervals, 6u);
  std::optional<ModelTotals> got = (*b)->Totals("m1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(EncodeTotals(*got), EncodeTotals(want.totals()));
  KeyValue value;
  (*b)->Prove("m1", &value);
  EXPECT_EQ(value.totals_hash, TotalsHash(want.totals()));
  EXPECT_FALSE((*b)->Totals("absent").has_value());
  b->reset();
  EXPECT_EQ(IndexBuilder::Open(dir_, kMapFnVersion1).status().code(),
            absl::StatusCode::kDataLoss);
  auto v1 =
      IndexBuilder::Open(ledger::testonly::FreshDir("v1"), kMapFnVersion1);
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(CatchUp(**v1).ok());
  EXPECT_EQ((*v1)->state().map_fn_version, 1u);
  EXPECT_FALSE((*v1)->Totals("m1").has_value());
  (*v1)->Prove("m1", &value);
  EXPECT_FALSE(value.has_totals);
  EXPECT_EQ(IndexBuilder::Open(dir_, 3).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(IndexBuilderTest, LeavesThatDoNotMakeTheCheckpointChangeNothing) {
  AppendSome(6);
  auto b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok());
  absl::StatusOr<InputCheckpoint> cp = log_->Checkpoint();
  std::vector<std::string> leaves = *log_->Leaves(0, cp->size);
  const IndexState before = (*b)->state();
  std::vector<std::string> tampered = leaves;
  tampered.back()[tampered.back().size() - 1] ^= 1;
  EXPECT_EQ((*b)->Apply(*cp, tampered).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ((*b)->Apply(*cp, absl::MakeSpan(leaves).subspan(1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*b)->state().map_root, before.map_root);
  EXPECT_EQ((*b)->state().input_size, 0u);
  EXPECT_TRUE((*b)->Apply(*cp, leaves).ok());
  EXPECT_GT((*b)->state().input_size, 0u);
}

}  // namespace
}  // namespace vindex
