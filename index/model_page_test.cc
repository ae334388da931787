// A paged answer against a client that trusts only the output log's
// checkpoint: honest pages of every size verify and equal the whole answer;
// pages asked after the index advanced are still of the pinned list; a page
// that omits an entry, adds a foreign one, repeats or skips a position, a
// head with another count or a stale head is caught; redacted entries
// verify, but not as another leaf or one the totals need.
#include "index/model_page.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/map_fn.h"
#include "index/model_answer_wire.h"
#include "index/output_log.h"
#include "index/testonly/indexed_log.h"

namespace vindex {
namespace {

class ModelPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = testonly::IndexedLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    Grow(40);
  }

  void Grow(int n) { ASSERT_TRUE(log_->Grow(n).ok()); }

  ModelAnswerHead Head(const std::string& model) {
    absl::StatusOr<ModelAnswerHead> h =
        MakeModelHead(builder(), out(), out().Size(), model);
    EXPECT_TRUE(h.ok()) << h.status();
    return h.ok() ? *h : ModelAnswerHead{};
  }

  absl::StatusOr<ModelPagesVerifier> Start(
      const ModelAnswerHead& head, const std::string& model,
      std::optional<uint64_t> as_of = std::nullopt) {
    const uint64_t size = out().Size();
    return ModelPagesVerifier::Start(head, model, size, *out().RootAt(size),
                                     as_of);
  }

  ModelPage Page(const std::string& model, const ModelAnswerHead& head,
                 uint64_t start, uint64_t n) {
    absl::StatusOr<std::optional<IndexUpdate>> update =
        IndexUpdateOfLeaf(head.output_leaf_index, head.output_leaf);
    EXPECT_TRUE(update.ok() && update->has_value());
    absl::StatusOr<ModelPage> p =
        MakeModelPage(builder(), in(), model, head.value.count,
                      (*update)->state.input_size, start, n);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : ModelPage{};
  }

  // Every page of `n` elements, verified; the entries' indices.
  std::vector<uint64_t> Paged(const std::string& model, uint64_t n) {
    const ModelAnswerHead head = Head(model);
    absl::StatusOr<ModelPagesVerifier> v = Start(head, model);
    EXPECT_TRUE(v.ok()) << v.status();
    std::vector<uint64_t> out;
    if (!v.ok()) return out;
    while (!v->done()) {
      absl::Status s = v->Add(Page(model, head, v->next_position(), n));
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) return out;
    }
    for (const ProvenEntry& e : v->entries()) out.push_back(e.index);
    return out;
  }

  std::vector<uint64_t> Whole(const std::string& model) {
    absl::StatusOr<ModelAnswer> a =
        MakeModelAnswer(builder(), in(), out(), out().Size(), model);
    EXPECT_TRUE(a.ok());
    return a.ok() ? a->list : std::vector<uint64_t>{};
  }

  IndexBuilder& builder() { return log_->builder(); }
  ledger::Ledger& in() { return log_->input().ledger(); }
  ledger::Ledger& out() { return log_->output(); }

  std::unique_ptr<testonly::IndexedLog> log_;
};

TEST_F(ModelPageTest, PagesOfEverySizeMakeTheWholeAnswer) {
  const std::vector<uint64_t> want = Whole("m1");
  ASSERT_GE(want.size(), 10u);
  for (uint64_t n = 1; n <= want.size() + 1; ++n) {
    EXPECT_EQ(Paged("m1", n), want) << "page size " << n;
  }
}

TEST_F(ModelPageTest, AsOfStopsAtThePrefix) {
  const std::vector<uint64_t> want = Whole("m1");
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1", want[5]);
  ASSERT_TRUE(v.ok());
  while (!v->done()) {
    ASSERT_TRUE(v->Add(Page("m1", head, v->next_position(), 2)).ok());
  }
  EXPECT_EQ(v->entries().size(), 5u);
  EXPECT_LT(v->next_position(), want.size());
}

TEST_F(ModelPageTest, PagesEndAtTheAsOfSizeAndTheByteBudget) {
  const std::vector<uint64_t> want = Whole("m1");
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPage> p =
      MakeModelPage(builder(), in(), "m1", head.value.count,
                    builder().state().input_size, 0, 100, want[3], SIZE_MAX);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->list.size(), 4u);  // three below the size, one at or past it
  p = MakeModelPage(builder(), in(), "m1", head.value.count,
                    builder().state().input_size, 2, 100, std::nullopt, 1);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->list.size(), 1u);  // one leaf is over the budget: only it
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->Add(Page("m1", head, 0, 2)).ok());
  EXPECT_TRUE(v->Add(*p).ok());
}

TEST_F(ModelPageTest, ANewHeadsCountGetsTheGrownList) {
  // The index moves on: a head with the new count gets pages of the new
  // list (read from the stored nodes, list_nodes_test.cc).
  Grow(6);
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->Add(Page("m1", head, 0, 1000)).ok());
  EXPECT_TRUE(v->done());
  EXPECT_EQ(v->entries().size(), Whole("m1").size());
}

TEST_F(ModelPageTest, AbsentModelHasNoPages) {
  absl::StatusOr<ModelPagesVerifier> v = Start(Head("nobody"), "nobody");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->present());
  EXPECT_TRUE(v->done());
  // An absence proof does not pass for a model that is there.
  EXPECT_FALSE(Start(Head("nobody"), "m1").ok());
}

TEST_F(ModelPageTest, PagesAskedAfterTheIndexAdvancedAreOfThePinnedList) {
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->Add(Page("m1", head, 0, 4)).ok());
  Grow(9);
  while (!v->done()) {
    ASSERT_TRUE(v->Add(Page("m1", head, v->next_position(), 4)).ok());
  }
  EXPECT_EQ(v->entries().size(), head.value.count);
}

void ExpectCaught(const absl::Status& s, absl::string_view why) {
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find(why), absl::string_view::npos) << s;
}

TEST_F(ModelPageTest, OmittedEntryIsCaught) {
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ModelPage p = Page("m1", head, 0, 5);
  p.list.erase(p.list.begin() + 2);
  p.entries.erase(p.entries.begin() + 2);
  ExpectCaught(v->Add(p), "do not make the list root");
  // Skipping a whole page: the next one must start where this one ended.
  ASSERT_TRUE(v->Add(Page("m1", head, 0, 5)).ok());
  ExpectCaught(v->Add(Page("m1", head, 10, 5)), "starts at position 10");
}

TEST_F(ModelPageTest, ForeignEntryIsCaught) {
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ModelPage p = Page("m1", head, 0, 5);
  ModelPage other = Page("m2", Head("m2"), 0, 1);
  size_t at = 0;
  while (at < p.list.size() && p.list[at] < other.list[0]) ++at;
  p.list.insert(p.list.begin() + at, other.list[0]);
  p.entries.insert(p.entries.begin() + at, other.entries[0]);
  ExpectCaught(v->Add(p), "do not make the list root");
  // Replacing an entry's leaf by a foreign one (same position, index kept).
  p = Page("m1", head, 0, 5);
  p.entries[1].leaf = other.entries[0].leaf;
  ExpectCaught(v->Add(p), "entry at leaf");
}

TEST_F(ModelPageTest, StaleOrAlteredHeadIsCaught) {
  const ModelAnswerHead old = Head("m1");
  Grow(3);
  ExpectCaught(Start(old, "m1").status(), "stale index");
  ModelAnswerHead h = Head("m1");
  for (int bit = 0; bit < 64; ++bit) {
    ModelAnswerHead bad = h;
    bad.value.count ^= uint64_t{1} << bit;
    ExpectCaught(Start(bad, "m1").status(), "map proof");
  }
  h.value.list_root[3] ^= 1;
  ExpectCaught(Start(h, "m1").status(), "map proof");
}

TEST_F(ModelPageTest, RedactedEntriesVerifyAndTheTotalsStillHold) {
  const ModelAnswerHead head = Head("m1");
  const uint64_t n = head.value.count;
  ModelPage p = Page("m1", head, 0, n);
  // Redact every entry but the IntervalReports (the totals fold only
  // those: FORMAT.md, "Redacted entries").
  size_t redacted = 0;
  std::optional<size_t> report;
  for (size_t j = 0; j < p.entries.size(); ++j) {
    absl::StatusOr<MappedLeaf> m =
        MapLeaf(p.entries[j].index, p.entries[j].leaf);
    ASSERT_TRUE(m.ok());
    if (m->payload_type == "aifl.collector.v1.IntervalReport") {
      report = j;
      continue;
    }
    p.entries[j] = Redact(p.entries[j]);
    ++redacted;
  }
  ASSERT_GT(redacted, 0u);
  ASSERT_TRUE(report.has_value());
  absl::StatusOr<ModelPagesVerifier> v = Start(head, "m1");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->Add(p).ok());
  size_t seen = 0;
  for (const ProvenEntry& e : v->entries()) seen += e.redacted ? 1 : 0;
  EXPECT_EQ(seen, redacted);
  // A redacted IntervalReport leaves the totals short: caught.
  ModelPage q = Page("m1", head, 0, n);
  q.entries[*report] = Redact(q.entries[*report]);
  v = Start(head, "m1");
  ExpectCaught(v->Add(q), "do not fold to the totals");
  // A redacted entry whose leaf hash is not the listed leaf's: caught.
  q = Page("m1", head, 0, n);
  q.entries[0] = Redact(q.entries[0]);
  q.entries[0].leaf_hash[0] ^= 1;
  v = Start(head, "m1");
  ExpectCaught(v->Add(q), "entry at leaf");
}

TEST_F(ModelPageTest, WireFormRoundTrips) {
  const ModelAnswerHead head = Head("m1");
  absl::StatusOr<ModelAnswerHead> h =
      ModelHeadFromProto(ModelHeadToProto(head));
  ASSERT_TRUE(h.ok());
  absl::StatusOr<ModelPagesVerifier> v = Start(*h, "m1");
  ASSERT_TRUE(v.ok()) << v.status();
  absl::StatusOr<ModelPage> p =
      ModelPageFromProto(ModelPageToProto(Page("m1", head, 0, 7)));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(v->Add(*p).ok());
  aifl::index::v1::ModelPage short_hash = ModelPageToProto(*p);
  short_hash.mutable_range_right(0)->pop_back();
  EXPECT_FALSE(ModelPageFromProto(short_hash).ok());
}

}  // namespace
}  // namespace vindex
