#include "index/index_builder.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/key_record.h"
#include "index/map_fn.h"
#include "index/model_map.h"
#include "index/testonly/model_log.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/store.h"
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

  std::unique_ptr<ModelLog> log_;
  std::string dir_;
};

TEST_F(IndexBuilderTest, ListsHoldEveryLeafAboutTheModelAndProve) {
  AppendSome(20);
  absl::StatusOr<std::unique_ptr<IndexBuilder>> b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(log_->IndexUnseen(**b).ok());
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
  absl::Status caught_up = log_->IndexUnseen(**b);
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
    ASSERT_TRUE(log_->IndexUnseen(**b).ok());
    AppendSome(1);
    ASSERT_TRUE(log_->IndexUnseen(**b).ok());
  }
  AppendSome(9);
  auto b = IndexBuilder::Open(dir_);  // resumes at the stored state
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().input_size, log_->ledger().Size() - 9);
  ASSERT_TRUE(log_->IndexUnseen(**b).ok());
  auto one = IndexBuilder::Open(one_dir);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(log_->IndexUnseen(**one).ok());
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

// Rewrites a closed index store of this layout as layout 1 wrote it: `k`
// records without the fold state, which goes into a `t` record per key, and
// no layout record. Returns the number of keys.
size_t ToLayoutOne(const std::string& dir, bool with_totals) {
  using ledger::storage::Family;
  auto store = ledger::storage::Store::Open(dir, {});
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return 0;
  ledger::storage::Batch batch;
  size_t keys = 0;
  EXPECT_TRUE((*store)
                  ->Scan(Family::kIndex, "k", "l",
                         [&](absl::string_view k, absl::string_view v) {
                           auto key = DecodeKeyRecord(v, with_totals);
                           EXPECT_TRUE(key.ok()) << key.status();
                           std::string old = EncodeKeyRecord(*key, false);
                           // Without the u32 id length: the id is the rest.
                           old.erase(8 + 32 * key->list.hashes().size(), 4);
                           batch.Put(Family::kIndex, k, old);
                           if (with_totals) {
                             batch.Put(Family::kIndex,
                                       absl::StrCat("t", k.substr(1)),
                                       key->totals.EncodeState());
                           }
                           ++keys;
                           return true;
                         })
                  .ok());
  batch.Delete(Family::kMeta, "index/key_records");
  EXPECT_TRUE((*store)->Write(&batch).ok());
  return keys;
}

// A store of the layout before (a `t` record per key for the totals) opens
// to the same state and is rewritten in this layout, once; both map
// versions.
TEST_F(IndexBuilderTest, LayoutOneStoreIsRewrittenAtOpen) {
  AppendSome(40);
  for (uint32_t version : {1u, 2u}) {
    const std::string dir = ledger::testonly::FreshDir("layout1");
    IndexState before;
    std::optional<ModelTotals> totals;
    std::vector<uint64_t> list;
    {
      auto b = IndexBuilder::Open(dir, version);
      ASSERT_TRUE(b.ok()) << b.status();
      ASSERT_TRUE(log_->IndexUnseen(**b).ok());
      before = (*b)->state();
      totals = (*b)->Totals("m1");
      list = *(*b)->List("m1", 0, 100);
    }
    ASSERT_EQ(ToLayoutOne(dir, version >= 2), before.key_count);
    for (int open = 0; open < 2; ++open) {
      auto b = IndexBuilder::Open(dir, version);
      ASSERT_TRUE(b.ok()) << b.status();
      EXPECT_EQ((*b)->state().map_root, before.map_root);
      EXPECT_EQ((*b)->Totals("m1"), totals);
      EXPECT_EQ(*(*b)->List("m1", 0, 100), list);
    }
    auto store = ledger::storage::Store::Open(dir, {});
    ASSERT_TRUE(store.ok());
    size_t t_records = 0;
    ASSERT_TRUE((*store)
                    ->Scan(ledger::storage::Family::kIndex, "t", "u",
                           [&](absl::string_view, absl::string_view) {
                             ++t_records;
                             return true;
                           })
                    .ok());
    EXPECT_EQ(t_records, 0u);
  }
}

// A layout this binary does not know is refused, naming the rebuild.
TEST_F(IndexBuilderTest, UnknownKeyRecordLayoutIsRefused) {
  AppendSome(3);
  {
    auto b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(log_->IndexUnseen(**b).ok());
  }
  {
    auto store = ledger::storage::Store::Open(dir_, {});
    ASSERT_TRUE(store.ok());
    ledger::storage::Batch batch;
    batch.Put(ledger::storage::Family::kMeta, "index/key_records",
              std::string("\0\0\0\3", 4));
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  absl::Status s = IndexBuilder::Open(dir_).status();
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_NE(s.message().find("rebuild the index"), std::string::npos) << s;
}

// Map version 2: each key's totals are the fold of its IntervalReports in
// log order, kept across a reopen; a version 1 index stays buildable, and
// neither opens as the other.
TEST_F(IndexBuilderTest, VersionTwoKeepsEachModelsTotals) {
  AppendSome(12);
  {
    auto b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(log_->IndexUnseen(**b).ok());
  }
  AppendSome(13);
  auto b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(log_->IndexUnseen(**b).ok());
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
  ASSERT_TRUE(log_->IndexUnseen(**v1).ok());
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
