#include "index/model_totals.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "schema/collector.pb.h"

namespace vindex {
namespace {

namespace common_v1 = ::aifl::common::v1;
using aifl::collector::v1::IntervalReport;

IntervalReport Interval(int i, common_v1::RunPurpose purpose) {
  IntervalReport r;
  r.set_node(absl::StrCat("n", i % 3));
  r.set_device_model(i % 2 == 0 ? "H100" : "");
  r.set_start_unix_ms(1000 + i * 60'000);
  r.set_end_unix_ms(1000 + (i + 1) * 60'000);
  r.set_gpu_count(4 + i % 5);
  r.set_gpu_seconds_allocated(240.5);
  if (i % 4 != 3) r.set_energy_joules(1e6 + i);
  r.mutable_flop()->set_lower(1e18 * i);
  r.mutable_flop()->set_upper(1.5e18 * i);
  r.mutable_flop()->set_method(common_v1::MEASURED_TENSOR_ACTIVITY);
  r.set_precision_low(common_v1::FP8);
  r.set_purpose(purpose);
  return r;
}

std::vector<IntervalReport> Log() {
  std::vector<IntervalReport> out;
  for (int i = 0; i < 12; ++i)
    out.push_back(Interval(i, common_v1::PRE_TRAINING));
  out.push_back(Interval(12, common_v1::MERGE_OR_INIT));  // cumulative only
  out.push_back(Interval(13, common_v1::EVALUATION));     // neither
  return out;
}

TEST(ModelTotalsTest, FoldsTheFormsFigures) {
  TotalsFold fold;
  for (const IntervalReport& r : Log()) fold.AddInterval(r);
  const ModelTotals& t = fold.totals();
  EXPECT_EQ(t.training_intervals, 12u);
  EXPECT_EQ(t.cumulative_intervals, 13u);
  EXPECT_EQ(t.energy_intervals, 9u);  // every fourth has no reading
  EXPECT_EQ(t.first_start_ms, 1000);
  EXPECT_EQ(t.last_end_ms, 1000 + 12 * 60'000);
  ASSERT_EQ(t.hardware.size(), 2u);
  const HardwareTotals& h100 = t.hardware.at("H100");
  EXPECT_EQ(h100.nodes, 3u);  // n0, n2, n1 by i % 3 over even i
  EXPECT_EQ(h100.intervals, 6u);
  EXPECT_EQ(t.hardware.at("not reported").intervals, 6u);
  EXPECT_EQ(t.flop_methods,
            std::set<uint32_t>{common_v1::MEASURED_TENSOR_ACTIVITY});
}

TEST(ModelTotalsTest, ResumingFromStoredStateFoldsTheSame) {
  TotalsFold whole, first;
  const std::vector<IntervalReport> log = Log();
  for (const IntervalReport& r : log) whole.AddInterval(r);
  for (size_t i = 0; i < 5; ++i) first.AddInterval(log[i]);
  absl::StatusOr<TotalsFold> resumed =
      TotalsFold::DecodeState(first.EncodeState());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  for (size_t i = 5; i < log.size(); ++i) resumed->AddInterval(log[i]);
  EXPECT_EQ(EncodeTotals(resumed->totals()), EncodeTotals(whole.totals()));
  EXPECT_EQ(resumed->EncodeState(), whole.EncodeState());
}

TEST(ModelTotalsTest, OnlyTheCanonicalEncodingParses) {
  TotalsFold fold;
  for (const IntervalReport& r : Log()) fold.AddInterval(r);
  const std::string bytes = EncodeTotals(fold.totals());
  absl::StatusOr<ModelTotals> back = DecodeTotals(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(*back == fold.totals());
  EXPECT_FALSE(DecodeTotals(bytes + "x").ok());
  EXPECT_FALSE(DecodeTotals(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(DecodeTotals("").ok());
  std::string other_format = bytes;
  other_format[0] = 2;
  EXPECT_FALSE(DecodeTotals(other_format).ok());
  // Every single-bit change either fails to parse or is other totals.
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] ^= 1;
    absl::StatusOr<ModelTotals> t = DecodeTotals(changed);
    if (t.ok()) {
      EXPECT_NE(TotalsHash(*t), TotalsHash(fold.totals())) << "byte " << i;
    }
  }
}

TEST(ModelTotalsTest, EmptyTotalsEncodeAndHash) {
  const ModelTotals empty;
  absl::StatusOr<ModelTotals> back = DecodeTotals(EncodeTotals(empty));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == empty);
}

}  // namespace
}  // namespace vindex
