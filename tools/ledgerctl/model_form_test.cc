#include "tools/ledgerctl/model_form.h"

#include "gtest/gtest.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/leaf_ranges.h"

namespace ledgerctl {
namespace {

namespace common_v1 = ::aifl::common::v1;
using aifl::collector::v1::IntervalReport;

IntervalReport Interval(const std::string& node, int64_t start_ms,
                        bool with_energy) {
  IntervalReport r;
  r.set_node(node);
  r.set_start_unix_ms(start_ms);
  r.set_end_unix_ms(start_ms + 86400000);
  r.set_gpu_count(8);
  r.set_gpu_seconds_allocated(8 * 86400.0);
  if (with_energy) r.set_energy_joules(1.8e9);  // 0.5 MWh
  r.mutable_flop()->set_lower(1e23);
  r.mutable_flop()->set_upper(2e23);
  r.mutable_flop()->set_method(common_v1::MEASURED_TENSOR_ACTIVITY);
  r.set_device_model("H100-SXM");
  r.set_purpose(common_v1::PRE_TRAINING);
  return r;
}

TEST(LeafRanges, GroupsContiguousLeavesAndCounts) {
  const auto ranges = ToLeafRanges({9, 3, 7, 8, 12, 8});
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(LeafCount(ranges), 5u);
  EXPECT_EQ(LeafRangesText(ranges),
            "3, 7\xE2\x80\x93"
            "9, 12");
  EXPECT_EQ(LeafRangesJson(ranges),
            "{\"count\":5,\"ranges\":[[3,3],[7,9],[12,12]]}");
  EXPECT_EQ(LeafRangesJson({}), "{\"count\":0,\"ranges\":[]}");
}

TEST(ModelForm, CumulativeComputeAddsNonPublicSyntheticDataAndMerges) {
  ModelFormBuilder b("m");
  b.AddInterval(10, Interval("n1", 0, true));
  IntervalReport synthetic = Interval("n2", 0, true);
  synthetic.set_purpose(common_v1::SYNTHETIC_DATA_NON_PUBLIC);
  b.AddInterval(11, synthetic);
  IntervalReport eval = Interval("n3", 0, true);
  eval.set_purpose(common_v1::EVALUATION);
  b.AddInterval(12, eval);  // in neither counter
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("m");
  d.mutable_compute()->mutable_cumulative()->set_lower(3e23);
  d.mutable_compute()->mutable_cumulative()->set_upper(5e23);
  d.mutable_compute()->mutable_cumulative()->set_method(
      common_v1::DECLARED_ARCHITECTURE);
  b.AddDeclaration(4, d);
  const ModelForm f = b.Build();
  EXPECT_EQ(FormFigureText(f.compute_measured), "1.0e23..2.0e23 FLOP");
  EXPECT_EQ(FormFigureText(f.cumulative_measured), "2.0e23..4.0e23 FLOP");
  EXPECT_EQ(LeafRangesText(f.cumulative_measured.evidence),
            "10\xE2\x80\x93"
            "11");
  EXPECT_EQ(FormFigureText(f.cumulative_declared), "3.0e23..5.0e23 FLOP");
  EXPECT_EQ(f.cumulative_declared.method, "DECLARED_ARCHITECTURE");
  EXPECT_NE(ModelFormJson(f, 13, "cm9vdA==")
                .find("\"cumulative_compute\":{\"measured\":{\"status\":"
                      "\"measured\""),
            std::string::npos);
}

TEST(ModelForm, MeasuredFiguresCiteTheirLeaves) {
  ModelFormBuilder b("m");
  b.AddInterval(10, Interval("n1", 0, true));
  b.AddInterval(11, Interval("n2", 86400000, true));
  IntervalReport eval = Interval("n3", 0, true);
  eval.set_purpose(common_v1::EVALUATION);
  b.AddInterval(12, eval);  // excluded purpose: not in the form
  const ModelForm f = b.Build();
  EXPECT_EQ(f.training_intervals, 2u);
  EXPECT_TRUE(f.compute_measured.known);
  EXPECT_DOUBLE_EQ(f.compute_measured.lower, 2e23);
  EXPECT_DOUBLE_EQ(f.compute_measured.upper, 4e23);
  EXPECT_EQ(FormFigureText(f.compute_measured), "2.0e23..4.0e23 FLOP");
  EXPECT_NE(f.compute_measured.method.find("MEASURED_TENSOR_ACTIVITY"),
            std::string::npos);
  ASSERT_EQ(f.compute_measured.evidence.size(), 1u);
  EXPECT_EQ(f.compute_measured.evidence[0].first, 10u);
  EXPECT_EQ(f.compute_measured.evidence[0].last, 11u);
  EXPECT_TRUE(f.energy_accelerator.known);
  EXPECT_EQ(FormFigureText(f.energy_accelerator), "1.0 MWh");
  EXPECT_EQ(f.energy_accelerator.boundary, "accelerator");
  EXPECT_DOUBLE_EQ(f.wall_clock_days.upper, 2.0);
  EXPECT_DOUBLE_EQ(f.gpu_days.upper, 16.0);
  ASSERT_EQ(f.hardware.size(), 1u);
  EXPECT_EQ(f.hardware[0].device_model, "H100-SXM");
  EXPECT_EQ(f.hardware[0].gpus, 16u);
  EXPECT_EQ(f.hardware[0].nodes, 2u);
  // Nothing declared: said so, no number.
  EXPECT_FALSE(f.compute_declared.known);
  EXPECT_EQ(f.compute_declared.status, "not declared");
  EXPECT_FALSE(f.energy_node.known);
  EXPECT_EQ(f.energy_facility.boundary, "facility");
}

TEST(ModelForm, EnergyIsNotApplicableWhenAnIntervalLacksAReading) {
  ModelFormBuilder b("m");
  b.AddInterval(1, Interval("n1", 0, true));
  b.AddInterval(2, Interval("n2", 0, false));
  const ModelForm f = b.Build();
  EXPECT_FALSE(f.energy_accelerator.known);
  EXPECT_EQ(f.energy_accelerator.status, "N/A");
  EXPECT_NE(f.energy_accelerator.reason.find("1 of 2 training intervals"),
            std::string::npos);
  EXPECT_EQ(f.energy_accelerator.upper, 0);
}

TEST(ModelForm, NothingMeasuredStaysExplicit) {
  const ModelForm f = ModelFormBuilder("m").Build();
  EXPECT_EQ(f.compute_measured.status, "not measured");
  EXPECT_EQ(f.energy_accelerator.status, "not measured");
  EXPECT_EQ(f.wall_clock_days.status, "not measured");
  EXPECT_TRUE(f.hardware.empty());
}

TEST(ModelForm, DeclaredFiguresComeFromTheLatestDeclaration) {
  aifl::provider::v1::ModelDeclaration old_d, d;
  old_d.mutable_compute()->mutable_training()->set_upper(1e20);
  d.set_provider("Example AI SE");
  auto* c = d.mutable_compute();
  c->set_parameters(1e11);
  c->set_tokens(1e13);                    // 6·P·D = 6e24
  c->set_facility_energy_joules(3.6e12);  // 1,000 MWh
  ModelFormBuilder b("m");
  b.AddDeclaration(7, d);
  b.AddDeclaration(3, old_d);  // older: ignored
  const ModelForm f = b.Build();
  EXPECT_EQ(f.provider, "Example AI SE");
  EXPECT_EQ(FormFigureText(f.compute_declared), "6.0e24 FLOP");
  EXPECT_NE(f.compute_declared.method.find("6·P·D"), std::string::npos);
  EXPECT_EQ(f.compute_declared.evidence[0].first, 7u);
  EXPECT_EQ(FormFigureText(f.energy_facility), "1000 MWh");
  EXPECT_EQ(FormNumber(277.8, "MWh"), "280");
  EXPECT_EQ(FormNumber(0.523, "days"), "0.52");
  EXPECT_EQ(FormNumber(2.5e5, "GPU-days"), "2.5e5");
  EXPECT_EQ(f.energy_node.status, "not declared");
}

TEST(ModelForm, JsonHasEveryRequiredField) {
  ModelFormBuilder b("m\"x");
  b.AddInterval(5, Interval("n1", 0, false));
  const std::string json = ModelFormJson(b.Build(), 42, "cm9vdA==");
  for (const char* key :
       {"\"schema\":\"aifl.model_documentation_form.v1\"",
        "\"model_id\":\"m\\\"x\"", "\"checkpoint\":{\"tree_size\":42",
        "\"training_compute\":{\"measured\":{\"status\":\"measured\"",
        "\"accelerator\":{\"status\":\"N/A\",\"value\":null",
        "\"boundary\":\"accelerator\"", "\"hardware_days\":",
        "\"evidence\":{\"count\":1,\"ranges\":[[5,5]]}"}) {
    EXPECT_NE(json.find(key), std::string::npos) << key << " in " << json;
  }
}

}  // namespace
}  // namespace ledgerctl
