#include "tools/ledgerctl/report_sections.h"

#include "gtest/gtest.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/report_command.h"
#include "tools/ledgerctl/report_html.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;
namespace rules_v1 = ::aifl::rules::v1;

v1::RecordedFinding Recorded(uint64_t leaf, const std::string& rule,
                             rules_v1::FindingState state,
                             rules_v1::Severity severity) {
  v1::RecordedFinding r;
  r.set_leaf_index(leaf);
  r.mutable_finding()->set_model_id("m");
  r.mutable_finding()->set_rule_id(rule);
  r.mutable_finding()->set_state(state);
  r.mutable_finding()->set_severity(severity);
  r.mutable_finding()->set_unit(rules_v1::AI_SAFETY);
  return r;
}

TEST(LatestFindings, KeepsTheLatestStateOfEachRule) {
  const auto latest = LatestFindings(
      {Recorded(9, "C4", rules_v1::CLEARED, rules_v1::WARNING),
       Recorded(3, "C4", rules_v1::RAISED, rules_v1::WARNING),
       Recorded(5, "N1", rules_v1::RAISED, rules_v1::VIOLATION)});
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].finding().rule_id(), "C4");
  EXPECT_EQ(latest[0].finding().state(), rules_v1::CLEARED);
  EXPECT_EQ(latest[1].leaf_index(), 5u);
}

TEST(SortedByTime, ResumsInTimeOrder) {
  // Leaf order: t=3000 (+1), t=1000 (+2), t=2000 (+4).
  const auto s = SortedByTime({{3000, 1, 1}, {1000, 3, 3}, {2000, 7, 7}});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].unix_ms, 1000);
  EXPECT_DOUBLE_EQ(s[0].cumulative_flop, 2);
  EXPECT_DOUBLE_EQ(s[1].cumulative_flop, 6);
  EXPECT_DOUBLE_EQ(s[2].cumulative_flop, 7);
}

TEST(LeafRangesHtml, ExpandsLongListsInDetails) {
  EXPECT_EQ(LeafRangesHtml({}), "none");
  EXPECT_EQ(LeafRangesHtml({{4, 4}}), "leaf 4 (1)");
  const std::string many = LeafRangesHtml({{1, 5}, {7, 7}, {9, 10}, {20, 30}});
  EXPECT_EQ(many.find("<details><summary>leaves 1\xE2\x80\x93"
                      "5, 7, 9"),
            0u)
      << many;
  EXPECT_NE(many.find("(19 in 4 ranges)"), std::string::npos);
  EXPECT_NE(many.find("20\xE2\x80\x93"
                      "30"),
            std::string::npos);
}

// A ledger the size of the demo's and more: the summary comes first, counts
// only open findings, and the page stays far below 2 MB although a finding
// cites 256 leaves and the model has 20,000 evidence leaves.
TEST(RenderReport, SaysSoWhenTheClockIsSimulated) {
  ReportData data;
  EXPECT_EQ(RenderReport(data).find("SIMULATED CLOCK"), std::string::npos);
  data.simulated_clock_since = 0;
  const std::string html = RenderReport(data);
  const size_t banner = html.find("SIMULATED CLOCK");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("<section id=\"summary\">"));
}

// An AI Office ledger's global model: the report shows each factory's
// share (origin, measured compute ranges, energy, evidence counts) after
// the union's facts; a factory's own model has no such table.
TEST(RenderReport, ShowsEachFactorysShareOfAnOfficeModel) {
  ReportData data;
  ReportModel m;
  v1::ModelSummary* s = m.detail.mutable_summary();
  s->set_model_id("frontier-1");
  s->set_provider("Frontier Labs SAS");
  s->set_office_name("Frontier Labs SAS / frontier-1");
  const struct {
    const char* origin;
    double lo, hi;
    uint64_t leaves;
  } shares[] = {{"a.factory.example.eu/ledger", 7.4e24, 7.6e24, 24},
                {"b.factory.example.eu/ledger", 7.3e24, 7.7e24, 31}};
  for (const auto& share : shares) {
    aifl::office::v1::FactoryShare* f = s->add_factories();
    f->set_origin(share.origin);
    f->mutable_measured_training()->set_lower(share.lo);
    f->mutable_measured_training()->set_upper(share.hi);
    f->mutable_measured_cumulative()->set_lower(share.lo);
    f->mutable_measured_cumulative()->set_upper(share.hi);
    f->set_runs(1);
    f->set_declarations(1);
    f->set_counted_leaves(share.leaves);
  }
  data.models.push_back(m);
  const std::string html = RenderReport(data);
  const size_t table = html.find("Share of each factory (AI Office)");
  ASSERT_NE(table, std::string::npos) << html;
  EXPECT_LT(html.find("<h2>Model frontier-1</h2>"), table);
  const size_t a = html.find("<td>a.factory.example.eu/ledger</td>", table);
  const size_t b = html.find("<td>b.factory.example.eu/ledger</td>", table);
  ASSERT_NE(a, std::string::npos) << html;
  ASSERT_NE(b, std::string::npos) << html;
  const std::string row_a = html.substr(a, b - a);
  EXPECT_NE(row_a.find(FlopRangeText(7.4e24, 7.6e24)), std::string::npos)
      << row_a;
  EXPECT_NE(row_a.find("<td>24</td>"), std::string::npos) << row_a;
  EXPECT_NE(html.find("<td>31</td>", b), std::string::npos);

  s->clear_factories();
  data.models[0] = m;
  EXPECT_EQ(RenderReport(data).find("Share of each factory"),
            std::string::npos);
}

TEST(RenderReport, SummaryFirstAndSmallForLargeLedgers) {
  ReportData data;
  ReportModel m;
  m.detail.mutable_summary()->set_model_id("big");
  m.detail.mutable_summary()->mutable_cumulative_compute_flop()->set_lower(
      2e25);
  m.detail.mutable_summary()->mutable_cumulative_compute_flop()->set_upper(
      3e25);
  ModelFormBuilder form("big");
  for (uint64_t i = 0; i < 20000; ++i) {
    EvidenceItem e;
    e.index = 100 + 2 * i;  // every other leaf: 20,000 ranges
    e.payload_type = "aifl.collector.v1.IntervalReport";
    e.leaf_hash = std::string(44, 'h');
    e.proof.assign(14, std::string(44, 'p'));
    m.evidence.push_back(e);
    m.series.push_back({static_cast<int64_t>(i) * 60000, 1e21 * i, 1e21 * i});
    aifl::collector::v1::IntervalReport r;
    r.set_energy_joules(1e9);
    r.mutable_flop()->set_upper(1e21);
    form.AddInterval(e.index, r);
  }
  m.form = form.Build();
  v1::RecordedFinding raised =
      Recorded(50, "C4", rules_v1::RAISED, rules_v1::WARNING);
  for (uint64_t i = 0; i < 256; ++i)
    raised.mutable_finding()->add_evidence_leaves(100 + 2 * i);
  m.findings = {raised,
                Recorded(60, "N1", rules_v1::RAISED, rules_v1::VIOLATION),
                Recorded(70, "N1", rules_v1::CLEARED, rules_v1::VIOLATION)};
  data.models.push_back(m);
  const std::string html = RenderReport(data);
  const size_t summary = html.find("<section id=\"summary\">");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, html.find("<section class=model"));
  EXPECT_NE(html.find("data-total-findings=\"1\""), std::string::npos);
  EXPECT_NE(html.find("data-unit=\"AI_SAFETY\" data-severity=\"WARNING\" "
                      "data-count=\"1\""),
            std::string::npos);
  EXPECT_NE(html.find("data-status=\"above 1e25 (systemic-risk "
                      "presumption)\"><td>above 1e25 (systemic-risk "
                      "presumption)</td><td class=num data-count=\"1\">"),
            std::string::npos);
  EXPECT_NE(html.find("(256 in 256 ranges)"), std::string::npos);
  EXPECT_LT(html.size(), 2u << 20) << html.size();
}

}  // namespace
}  // namespace ledgerctl
