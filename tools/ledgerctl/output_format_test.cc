#include "tools/ledgerctl/output_format.h"

#include "gtest/gtest.h"
#include "schema/collector.pb.h"
#include "tools/ledgerctl/report_command.h"
#include "tools/ledgerctl/report_html.h"

namespace ledgerctl {
namespace {

TEST(TwoSignificant, RoundsToTwoFigures) {
  EXPECT_EQ(TwoSignificant(3.14159e24), "3.1e24");
  EXPECT_EQ(TwoSignificant(9.96e22), "1.0e23");
  EXPECT_EQ(TwoSignificant(0), "0");
  EXPECT_EQ(FlopRangeText(1e24, 1.2e24), "1.0e24..1.2e24");
  EXPECT_EQ(FlopRangeText(0, 0), "-");
}

TEST(ModelStatus, ComparesCumulativeComputeWithThresholds) {
  EXPECT_EQ(ModelStatus(2e25, 3e25, 0),
            "above 1e25 (systemic-risk presumption)");
  EXPECT_EQ(ModelStatus(5e24, 2e25, 1), "may be above 1e25, 1 open finding");
  EXPECT_EQ(ModelStatus(2e23, 3e23, 2),
            "above 1e23 (GPAI indicative), 2 open findings");
  EXPECT_EQ(ModelStatus(1e20, 1e21, 0), "below 1e23");
}

TEST(FormatKeys, MatchesTheLocalTextFormat) {
  KeyLine k{"00112233445566778899aabbccddeeff",
            "collector",
            "Factory A",
            "n1",
            "",
            3,
            std::nullopt,
            7};
  EXPECT_EQ(FormatKeys({k}, {}, false),
            "00112233445566778899aabbccddeeff  collector  enrolled@3      "
            "revoked@-      next_seq=7      Factory A/n1\n");
}

TEST(FormatKeys, ListsTheLogKeysAfterTheSigningKeys) {
  std::vector<LogKeyLine> log_keys = {{"o+01020304+AQ==", 1},
                                      {"o+0a0b0c0d+AQ==", 9}};
  EXPECT_EQ(FormatKeys({}, log_keys, false),
            "log-key  announced@1      o+01020304+AQ==\n"
            "log-key  announced@9      o+0a0b0c0d+AQ==\n");
  EXPECT_EQ(FormatKeys({}, log_keys, true),
            "[\n  {\"role\": \"log\", \"verifier_key\": \"o+01020304+AQ==\", "
            "\"announced_at_leaf\": 1},"
            "\n  {\"role\": \"log\", \"verifier_key\": \"o+0a0b0c0d+AQ==\", "
            "\"announced_at_leaf\": 9}\n]\n");
}

TEST(FoldEvidence, AccumulatesTrainingAndCumulativeByPurpose) {
  ReportModel m;
  aifl::collector::v1::IntervalReport r;
  r.set_end_unix_ms(1000);
  r.mutable_flop()->set_upper(2e22);
  r.set_purpose(aifl::common::v1::PRE_TRAINING);
  FoldEvidence("aifl.collector.v1.IntervalReport", r.SerializeAsString(), &m);
  r.set_end_unix_ms(2000);
  r.set_purpose(aifl::common::v1::SYNTHETIC_DATA_NON_PUBLIC);
  FoldEvidence("aifl.collector.v1.IntervalReport", r.SerializeAsString(), &m);
  r.set_purpose(aifl::common::v1::EVALUATION);
  FoldEvidence("aifl.collector.v1.IntervalReport", r.SerializeAsString(), &m);
  ASSERT_EQ(m.series.size(), 3u);
  EXPECT_DOUBLE_EQ(m.series[2].training_flop, 2e22);
  EXPECT_DOUBLE_EQ(m.series[2].cumulative_flop, 4e22);
}

TEST(RenderReport, IsSelfContainedAndEscapesText) {
  ReportData data;
  ReportModel m;
  m.detail.mutable_summary()->set_model_id("<m>");
  m.series.push_back({1000, 1e22, 2e22});
  m.series.push_back({5000, 3e24, 4e24});
  data.models.push_back(m);
  const std::string html = RenderReport(data);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("&lt;m&gt;"), std::string::npos);
  EXPECT_NE(html.find("1e25 systemic risk"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

}  // namespace
}  // namespace ledgerctl
