// The bounded totals answer against a client that trusts only the output
// log's checkpoint: an honest one verifies and holds the builder's totals;
// a stale update, another model's totals, changed totals and every changed
// byte are refused; a version 1 index has no totals to answer with.
#include "index/totals_answer.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/output_log.h"
#include "index/testonly/model_log.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex {
namespace {

class TotalsAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(kMapFnVersion); }

  void Open(uint32_t version) {
    in_ = testonly::ModelLog::Create("test.example/factory").value();
    out_ =
        ledger::testonly::LedgerFixture::Create("test.example/index").value();
    output_ = OutputLog::Create(
                  &out_->ledger(),
                  out_->EnrolNewKey(aifl::ledger::v1::ROLE_RULES).value())
                  .value();
    builder_ = IndexBuilder::Open(ledger::testonly::FreshDir("index"), version)
                   .value();
    Grow(12);
  }

  // n entries over m0..m2, kinds 0-3 (1: IntervalReport), indexed and
  // published.
  void Grow(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(in_->Append(absl::StrCat("m", i % 3), i % 4).ok());
    }
    ASSERT_TRUE(in_->IndexUnseen(*builder_).ok());
    ASSERT_TRUE(
        output_->Publish({in_->ledger().origin(), builder_->state()}).ok());
  }

  absl::StatusOr<TotalsAnswer> Make(const std::string& model) {
    return MakeTotalsAnswer(*builder_, out_->ledger(), out_->ledger().Size(),
                            model);
  }

  absl::StatusOr<VerifiedTotals> Verify(const TotalsAnswer& a,
                                        const std::string& model) {
    const uint64_t size = out_->ledger().Size();
    return VerifyTotalsAnswer(a, model, size, *out_->ledger().RootAt(size));
  }

  std::unique_ptr<testonly::ModelLog> in_;
  std::unique_ptr<ledger::testonly::LedgerFixture> out_;
  std::unique_ptr<OutputLog> output_;
  std::unique_ptr<IndexBuilder> builder_;
};

TEST_F(TotalsAnswerTest, AnHonestAnswerVerifiesWithTheBuildersTotals) {
  absl::StatusOr<TotalsAnswer> a = Make("m1");
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<VerifiedTotals> v = Verify(*a, "m1");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(EncodeTotals(v->totals), EncodeTotals(*builder_->Totals("m1")));
  EXPECT_GT(v->totals.training_intervals, 0u);
  EXPECT_EQ(v->update.state.input_size, builder_->state().input_size);
  absl::StatusOr<TotalsAnswer> back =
      DecodeTotalsAnswer(EncodeTotalsAnswer(*a));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeTotalsAnswer(*back), EncodeTotalsAnswer(*a));
  EXPECT_EQ(Make("absent").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TotalsAnswerTest, StaleOtherModelAndChangedTotalsAreRefused) {
  const TotalsAnswer old = Make("m1").value();
  Grow(4);  // a newer update: the old answer is stale
  EXPECT_NE(Verify(old, "m1").status().message().find("stale"),
            std::string::npos);
  const TotalsAnswer a = Make("m1").value();
  EXPECT_EQ(Verify(a, "m2").status().code(), absl::StatusCode::kDataLoss);
  TotalsAnswer changed = a;
  ModelTotals t = DecodeTotals(a.totals).value();
  t.flop_upper += 1;
  changed.totals = EncodeTotals(t);
  EXPECT_EQ(Verify(changed, "m1").status().code(), absl::StatusCode::kDataLoss);
  changed = a;
  ++changed.count;
  EXPECT_EQ(Verify(changed, "m1").status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(TotalsAnswerTest, EveryChangedByteIsRefused) {
  const std::string bytes = EncodeTotalsAnswer(Make("m1").value());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] ^= '\x01';
    absl::StatusOr<TotalsAnswer> a = DecodeTotalsAnswer(changed);
    EXPECT_FALSE(a.ok() && Verify(*a, "m1").ok()) << "byte " << i;
  }
  EXPECT_FALSE(DecodeTotalsAnswer(bytes + "x").ok());
}

TEST_F(TotalsAnswerTest, AVersionOneIndexHasNoTotals) {
  Open(kMapFnVersion1);
  EXPECT_EQ(Make("m1").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vindex
