// The complete per-model answer against a client that trusts only the
// output log's checkpoint: honest answers verify (present, absent, as of an
// older size); a server that omits an entry, adds a foreign one, serves a
// stale update or tampers with an entry is caught; a redacted entry has no
// place in a whole answer.
#include "index/model_answer.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/map_fn.h"
#include "index/output_log.h"
#include "index/testonly/indexed_log.h"

namespace vindex {
namespace {

class ModelAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = testonly::IndexedLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    Grow(16);
  }

  void Grow(int n) { ASSERT_TRUE(log_->Grow(n).ok()); }

  ModelAnswer Answer(const std::string& model) {
    absl::StatusOr<ModelAnswer> a =
        MakeModelAnswer(builder(), in(), out(), out().Size(), model);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *a : ModelAnswer{};
  }

  absl::StatusOr<VerifiedModelEntries> Verify(
      const ModelAnswer& a, const std::string& model,
      std::optional<uint64_t> as_of = std::nullopt) {
    const uint64_t size = out().Size();
    return VerifyModelAnswer(a, model, size, *out().RootAt(size), as_of);
  }

  // Every leaf index MapFn maps to `model`, by re-running it on the log.
  std::vector<uint64_t> Expected(const std::string& model) {
    std::vector<uint64_t> out;
    for (uint64_t i = 0; i < builder().state().input_size; ++i) {
      auto models = ModelsOfLeaf(i, *in().GetLeaf(i));
      for (const std::string& m : *models) {
        if (m == model) out.push_back(i);
      }
    }
    return out;
  }

  void ExpectCaught(const ModelAnswer& a, absl::string_view why) {
    absl::StatusOr<VerifiedModelEntries> r = Verify(a, "m1");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
    EXPECT_NE(r.status().message().find(why), absl::string_view::npos)
        << r.status();
  }

  IndexBuilder& builder() { return log_->builder(); }
  ledger::Ledger& in() { return log_->input().ledger(); }
  ledger::Ledger& out() { return log_->output(); }

  std::unique_ptr<testonly::IndexedLog> log_;
};

TEST_F(ModelAnswerTest, HonestAnswerIsCompleteAndAsOfIsAPrefix) {
  absl::StatusOr<VerifiedModelEntries> r = Verify(Answer("m1"), "m1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->present);
  std::vector<uint64_t> got;
  for (const ProvenEntry& e : r->entries) got.push_back(e.index);
  const std::vector<uint64_t> want = Expected("m1");
  ASSERT_GE(want.size(), 3u);
  EXPECT_EQ(got, want);
  r = Verify(Answer("m1"), "m1", want[2]);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->entries.size(), 2u);
  EXPECT_EQ(Verify(Answer("m1"), "m1", builder().state().input_size + 1)
                .status()
                .code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(ModelAnswerTest, AbsentModelIsAVerifiedEmptyAnswer) {
  absl::StatusOr<VerifiedModelEntries> r = Verify(Answer("nobody"), "nobody");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->present);
  EXPECT_TRUE(r->entries.empty());
  // An absence proof does not pass for a model that is there.
  ModelAnswer lie = Answer("nobody");
  EXPECT_FALSE(Verify(lie, "m1").ok());
}

TEST_F(ModelAnswerTest, OmittedEntryIsCaught) {
  ModelAnswer a = Answer("m1");
  a.list.erase(a.list.begin() + 1);
  a.entries.erase(a.entries.begin() + 1);
  ExpectCaught(a, "does not make the proven");
}

TEST_F(ModelAnswerTest, ForeignEntryIsCaught) {
  ModelAnswer a = Answer("m1");
  ModelAnswer other = Answer("m2");
  // m2's first entry, with its valid inclusion proof, slipped into m1's list.
  ProvenEntry foreign = other.entries[0];
  size_t at = 0;
  while (at < a.list.size() && a.list[at] < foreign.index) ++at;
  a.list.insert(a.list.begin() + at, foreign.index);
  a.entries.insert(a.entries.begin() + at, foreign);
  ExpectCaught(a, "does not make the proven");
}

TEST_F(ModelAnswerTest, StaleUpdateIsCaught) {
  const ModelAnswer old = Answer("m1");
  Grow(3);  // a newer update is published
  ExpectCaught(old, "stale index");
}

TEST_F(ModelAnswerTest, TamperedEntryIsCaught) {
  ModelAnswer a = Answer("m1");
  a.entries[0].leaf.back() ^= 1;
  ExpectCaught(a, "entry at leaf");
  a = Answer("m1");
  a.output_leaf.back() ^= 1;
  ExpectCaught(a, "output leaf");
}

TEST_F(ModelAnswerTest, RedactedEntryIsRefusedInAWholeAnswer) {
  // Only pages carry redacted entries (FORMAT.md, "Redacted entries"): a
  // whole answer, and so a statement, carries every leaf.
  ModelAnswer a = Answer("m1");
  a.entries[1] = Redact(a.entries[1]);
  ExpectCaught(a, "is redacted");
}

}  // namespace
}  // namespace vindex
