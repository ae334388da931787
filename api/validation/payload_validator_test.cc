#include "api/validation/payload_validator.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace api::validation {
namespace {

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";
// 2026-01-01T00:00:00Z.
constexpr int64_t kNowMs = 1767225600000;
const TimeWindow kWindow = WindowForIntegrationTime(kNowMs * 1000);

aifl::collector::v1::IntervalReport GoodReport() {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id("c/1");
  r.set_start_unix_ms(kNowMs - 60000);
  r.set_end_unix_ms(kNowMs);
  r.set_gpu_seconds_allocated(480);
  r.set_energy_joules(1.5e5);
  r.mutable_flop()->set_lower(1e15);
  r.mutable_flop()->set_upper(2e15);
  return r;
}

absl::Status Check(const aifl::collector::v1::IntervalReport& r) {
  return ValidatePayload(kInterval, r.SerializeAsString(), kWindow);
}

TEST(PayloadValidatorTest, AcceptsAPlausibleReport) {
  EXPECT_TRUE(Check(GoodReport()).ok()) << Check(GoodReport());
}

TEST(PayloadValidatorTest, RefusesNegativeFlopNamingTheField) {
  auto r = GoodReport();
  r.mutable_flop()->set_lower(-1);
  absl::Status s = Check(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "payload field flop.lower: got -1, want >= 0");
}

TEST(PayloadValidatorTest, RefusesNanAndInfinity) {
  auto r = GoodReport();
  r.mutable_flop()->set_upper(std::nan(""));
  EXPECT_EQ(Check(r).message(),
            "payload field flop.upper: got nan, want a finite number");
  r = GoodReport();
  r.set_energy_joules(std::numeric_limits<double>::infinity());
  EXPECT_EQ(Check(r).message(),
            "payload field energy_joules: got inf, want a finite number");
  r = GoodReport();
  r.set_gpu_seconds_allocated(-0.5);
  EXPECT_EQ(Check(r).code(), absl::StatusCode::kInvalidArgument);
}

TEST(PayloadValidatorTest, RefusesLowerAboveUpper) {
  auto r = GoodReport();
  r.mutable_flop()->set_lower(3e15);
  EXPECT_EQ(Check(r).message(),
            "payload field flop.lower: got 3e+15, want <= flop.upper "
            "(2e+15)");
}

TEST(PayloadValidatorTest, RefusesTimesOutsideTheWindow) {
  auto r = GoodReport();
  r.set_start_unix_ms(0);
  EXPECT_NE(Check(r).message().find("start_unix_ms: got 0"),
            absl::string_view::npos);
  r = GoodReport();
  r.set_end_unix_ms(kNowMs + 2 * 86400000LL);  // two days ahead
  EXPECT_EQ(Check(r).code(), absl::StatusCode::kInvalidArgument);
  r = GoodReport();
  r.set_end_unix_ms(kNowMs + 3600000);  // an hour of clock skew is fine
  EXPECT_TRUE(Check(r).ok());
  r = GoodReport();
  r.set_end_unix_ms(r.start_unix_ms() - 1);
  EXPECT_NE(Check(r).message().find("end_unix_ms"), absl::string_view::npos);
}

TEST(PayloadValidatorTest, RefusesUnknownEnumValues) {
  auto r = GoodReport();
  r.set_purpose(static_cast<aifl::common::v1::RunPurpose>(99));
  EXPECT_EQ(Check(r).message(),
            "payload field purpose: got 99, want a value the schema defines");
}

TEST(PayloadValidatorTest, RefusesUnknownTypesAndUnparsablePayloads) {
  EXPECT_EQ(ValidatePayload("aifl.collector.v1.Nonsense", "", kWindow).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidatePayload(kInterval, "a", kWindow).message(),
            "payload: does not parse as aifl.collector.v1.IntervalReport");
}

TEST(PayloadValidatorTest, BlobAndKeyEventsPassThrough) {
  EXPECT_TRUE(ValidatePayload("aifl.collector.v1.Blob", "a", kWindow).ok());
  EXPECT_TRUE(ValidatePayload("aifl.office.v1.Blob", "", kWindow).ok());
  EXPECT_TRUE(ValidatePayload("aifl.ledger.v1.KeyEvent", "x", kWindow).ok());
}

TEST(PayloadValidatorTest, ChecksProviderComputeDeclarations) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("m");
  d.mutable_compute()->mutable_training()->set_lower(1e24);
  d.mutable_compute()->mutable_training()->set_upper(2e24);
  EXPECT_TRUE(ValidatePayload("aifl.provider.v1.ModelDeclaration",
                              d.SerializeAsString(), kWindow)
                  .ok());
  d.mutable_compute()->set_utilisation(1.5);
  EXPECT_EQ(ValidatePayload("aifl.provider.v1.ModelDeclaration",
                            d.SerializeAsString(), kWindow)
                .message(),
            "payload field compute.utilisation: got 1.5, want <= 1");
}

TEST(PayloadValidatorTest, ChecksFindingFigures) {
  aifl::rules::v1::Finding f;
  f.set_evaluated_at_unix_ms(kNowMs);
  f.set_deadline_unix_ms(kNowMs + 14 * 86400000LL);  // future deadline: fine
  f.add_figures()->set_lower(-2);
  EXPECT_EQ(
      ValidatePayload("aifl.rules.v1.Finding", f.SerializeAsString(), kWindow)
          .message(),
      "payload field figures[0].lower: got -2, want >= 0");
  f.mutable_figures(0)->set_lower(1);
  f.mutable_figures(0)->set_upper(2);
  EXPECT_TRUE(
      ValidatePayload("aifl.rules.v1.Finding", f.SerializeAsString(), kWindow)
          .ok());
}

TEST(PayloadValidatorTest, ChecksModelTotalsUnionCrossings) {
  aifl::office::v1::ModelTotals t;
  t.set_evaluated_at_unix_ms(kNowMs);
  t.add_union_crossings()->set_threshold_flop(1e25);
  EXPECT_TRUE(ValidatePayload("aifl.office.v1.ModelTotals",
                              t.SerializeAsString(), kWindow)
                  .ok());
  t.mutable_union_crossings(0)->set_threshold_flop(std::nan(""));
  EXPECT_EQ(ValidatePayload("aifl.office.v1.ModelTotals", t.SerializeAsString(),
                            kWindow)
                .message(),
            "payload field union_crossings[0].threshold_flop: got nan, want a "
            "finite number");
}

}  // namespace
}  // namespace api::validation
