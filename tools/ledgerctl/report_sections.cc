#include "tools/ledgerctl/report_sections.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "tools/ledgerctl/finding_format.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/report_html.h"

namespace ledgerctl {
namespace {

namespace rules_v1 = ::aifl::rules::v1;

constexpr const char* kStatuses[] = {
    "above 1e25 (systemic-risk presumption)", "may be above 1e25",
    "above 1e23 (GPAI indicative)", "may be above 1e23", "below 1e23"};
constexpr const char* kColours[] = {"#1f5fbf", "#c0392b", "#2a9a2a",
                                    "#8e44ad", "#d35400", "#16a085",
                                    "#7f8c8d", "#b7950b", "#2c3e50"};

std::string Day(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::string ModelsByStatus(const ReportData& data) {
  std::string out =
      "<h3>Models by status</h3>\n<table class=summary>\n<tr><th>status "
      "(cumulative compute)</th><th>models</th><th>which</th></tr>\n";
  for (const char* status : kStatuses) {
    std::string names;
    int count = 0;
    for (const ReportModel& m : data.models) {
      if (ThresholdStatus(m) != status) continue;
      ++count;
      const std::string& id = m.detail.summary().model_id();
      absl::StrAppend(&names, names.empty() ? "" : ", ", "<a href=\"#model-",
                      HtmlEscape(id), "\">", HtmlEscape(id), "</a>");
    }
    absl::StrAppend(&out, "<tr data-status=\"", status, "\"><td>", status,
                    "</td><td class=num data-count=\"", count, "\">", count,
                    "</td><td>", names, "</td></tr>\n");
  }
  return out + "</table>\n";
}

std::string FindingsByUnit(const ReportData& data) {
  const rules_v1::Severity severities[] = {rules_v1::CRITICAL,
                                           rules_v1::VIOLATION,
                                           rules_v1::WARNING, rules_v1::INFO};
  std::map<std::pair<int, int>, int> counts;
  int total = 0;
  for (const ReportModel& m : data.models) {
    for (const auto& r : LatestFindings(m.findings)) {
      const rules_v1::Finding& f = r.finding();
      if (f.state() != rules_v1::RAISED) continue;
      ++counts[{f.unit(), f.severity()}];
      ++total;
    }
  }
  std::string out = absl::StrCat(
      "<h3>Open findings by AI Office unit and severity (<span "
      "data-total-findings=\"",
      total, "\">", total,
      "</span>)</h3>\n<table class=summary>\n<tr><th>unit</th>");
  for (rules_v1::Severity s : severities)
    absl::StrAppend(&out, "<th>", rules_v1::Severity_Name(s), "</th>");
  out += "</tr>\n";
  for (rules_v1::Unit u : {rules_v1::REGULATION_AND_COMPLIANCE,
                           rules_v1::AI_SAFETY, rules_v1::UNIT_UNSPECIFIED}) {
    int row = 0;
    for (rules_v1::Severity s : severities) row += counts[{u, s}];
    if (u == rules_v1::UNIT_UNSPECIFIED && row == 0) continue;
    absl::StrAppend(&out, "<tr><td>", UnitName(u), "</td>");
    for (rules_v1::Severity s : severities) {
      const int n = counts[{u, s}];
      absl::StrAppend(&out, "<td class=\"num", n > 0 ? " sev-" : "",
                      n > 0 ? rules_v1::Severity_Name(s) : "",
                      "\" data-unit=\"", rules_v1::Unit_Name(u),
                      "\" data-severity=\"", rules_v1::Severity_Name(s),
                      "\" data-count=\"", n, "\">", n, "</td>");
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

std::vector<aifl::api::v1::RecordedFinding> LatestFindings(
    const std::vector<aifl::api::v1::RecordedFinding>& recorded) {
  std::vector<aifl::api::v1::RecordedFinding> out;
  std::map<std::pair<std::string, std::string>, size_t> where;
  std::vector<const aifl::api::v1::RecordedFinding*> sorted;
  for (const auto& r : recorded) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    return a->leaf_index() < b->leaf_index();
  });
  for (const auto* r : sorted) {
    const auto key =
        std::make_pair(r->finding().model_id(), r->finding().rule_id());
    auto it = where.find(key);
    if (it == where.end()) {
      where[key] = out.size();
      out.push_back(*r);
    } else {
      out[it->second] = *r;
    }
  }
  return out;
}

std::string ThresholdStatus(const ReportModel& m) {
  const auto& c = m.detail.summary().cumulative_compute_flop();
  return ModelStatus(c.lower(), c.upper(), 0);
}

namespace {

// AllModelsComputeSvg's layout (pixels).
constexpr double kAllW = 1000, kAllH = 400, kAllLeft = 70, kAllRight = 250,
                 kAllTop = 20, kAllBottom = 50;
constexpr double kAllPlotW = kAllW - kAllLeft - kAllRight,
                 kAllPlotH = kAllH - kAllTop - kAllBottom;

// The axes over every model's series: log FLOP and time (t0 == 0: none).
struct AllModelsAxes {
  LogPlot plot;
  int64_t t0 = 0, t1 = 0;
  double X(int64_t t) const {
    return kAllLeft + static_cast<double>(t - t0) / (t1 - t0) * kAllPlotW;
  }
};

AllModelsAxes MakeAllModelsAxes(const ReportData& data) {
  AllModelsAxes axes;
  double lo = 1e22, hi = 1e26;
  for (const ReportModel& m : data.models) {
    for (const ComputePoint& p : m.series) {
      if (p.cumulative_flop > 0)
        lo = std::min(lo, p.cumulative_flop),
        hi = std::max(hi, p.cumulative_flop);
      if (axes.t0 == 0 || p.unix_ms < axes.t0) axes.t0 = p.unix_ms;
      axes.t1 = std::max(axes.t1, p.unix_ms);
    }
  }
  if (axes.t1 <= axes.t0) axes.t1 = axes.t0 + 3600 * 1000;
  axes.plot = MakeLogPlot(kAllLeft, kAllTop, kAllPlotW, kAllPlotH, lo, hi);
  return axes;
}

// The 1e23 and 1e25 thresholds, labelled inside the plot (the legend of
// models takes the right margin).
std::string AllModelsThresholdsSvg(const LogPlot& plot) {
  std::string out;
  for (const auto& [flop, label, colour] :
       {std::tuple<double, const char*, const char*>{
            kGpaiThresholdFlop, "1e23 GPAI indicative", "#e08000"},
        {kSystemicRiskThresholdFlop, "1e25 systemic risk", "#c00000"}}) {
    const double yy = plot.Y(flop);
    absl::StrAppend(
        &out, absl::StrFormat("<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
                              "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
                              "stroke-dasharray=\"6 4\"/><text x=\"%.0f\" "
                              "y=\"%.1f\" fill=\"%s\" text-anchor=\"end\" "
                              "font-weight=\"bold\">%s</text>\n",
                              kAllLeft, kAllLeft + kAllPlotW, yy, yy, colour,
                              kAllLeft + kAllPlotW - 6, yy - 4, colour, label));
  }
  return out;
}

// Model i's cumulative line and its legend entry (while the legend fits).
std::string ModelLineSvg(const ReportModel& m, size_t i,
                         const AllModelsAxes& axes) {
  constexpr size_t kColourCount = sizeof(kColours) / sizeof(kColours[0]);
  const char* colour = kColours[i % kColourCount];
  // Past the palette, colours repeat with dashed lines.
  const char* dash = i < kColourCount ? "none" : "5 3";
  const double ly = kAllTop + 14 + 16 * i;
  std::string out, points;
  // Thin long series: at most ~400 points per model keeps the file small.
  const size_t step = std::max<size_t>(1, m.series.size() / 400);
  for (size_t k = 0; k < m.series.size(); k += step) {
    const ComputePoint& p = m.series[k];
    absl::StrAppend(&points, absl::StrFormat("%.1f,%.1f ", axes.X(p.unix_ms),
                                             axes.plot.Y(p.cumulative_flop)));
  }
  if (!m.series.empty()) {
    const ComputePoint& p = m.series.back();
    absl::StrAppend(&points, absl::StrFormat("%.1f,%.1f", axes.X(p.unix_ms),
                                             axes.plot.Y(p.cumulative_flop)));
    absl::StrAppend(
        &out, absl::StrFormat("<polyline fill=\"none\" stroke=\"%s\" "
                              "stroke-width=\"2\" stroke-dasharray=\"%s\" "
                              "points=\"%s\"/>\n",
                              colour, dash, points));
  }
  if (ly < kAllH - 10) {
    const double last = m.series.empty() ? 0 : m.series.back().cumulative_flop;
    absl::StrAppend(
        &out, absl::StrFormat(
                  "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" "
                  "stroke=\"%s\" stroke-width=\"3\" stroke-dasharray=\"%s\"/>"
                  "<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s %s</text>\n",
                  kAllLeft + kAllPlotW + 8, kAllLeft + kAllPlotW + 24, ly - 4,
                  ly - 4, colour, dash, kAllLeft + kAllPlotW + 28, ly, colour,
                  HtmlEscape(m.detail.summary().model_id()),
                  m.series.empty() ? "(no intervals)" : TwoSignificant(last)));
  }
  return out;
}

}  // namespace

std::string AllModelsComputeSvg(const ReportData& data) {
  const AllModelsAxes axes = MakeAllModelsAxes(data);
  std::string out = absl::StrCat(OpenLogPlot(axes.plot, kAllW, kAllH),
                                 AllModelsThresholdsSvg(axes.plot));
  for (size_t i = 0; i < data.models.size(); ++i) {
    out += ModelLineSvg(data.models[i], i, axes);
  }
  if (axes.t0 != 0) {
    absl::StrAppend(
        &out,
        absl::StrFormat("<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" "
                        "y=\"%.0f\" text-anchor=\"end\">%s</text>\n",
                        kAllLeft, kAllTop + kAllPlotH + 18, Day(axes.t0),
                        kAllLeft + kAllPlotW, kAllTop + kAllPlotH + 18,
                        Day(axes.t1)));
  }
  absl::StrAppend(
      &out, absl::StrFormat(
                "<text x=\"%.0f\" y=\"%.0f\">measured cumulative compute "
                "(upper bound, running sum per model)</text>\n<text x=\"14\" "
                "y=\"%.0f\" transform=\"rotate(-90 14 %.0f)\" "
                "text-anchor=\"middle\">FLOP (log scale)</text>\n</svg>\n",
                kAllLeft, kAllH - 10, kAllTop + kAllPlotH / 2,
                kAllTop + kAllPlotH / 2));
  return out;
}

std::string SummaryHtml(const ReportData& data) {
  return absl::StrCat(
      "<section id=\"summary\">\n<h2>Summary</h2>\n<p>", data.models.size(),
      " model(s); evidence proven in the signed checkpoint of size ",
      data.tree_size, ".</p>\n", ModelsByStatus(data), FindingsByUnit(data),
      "<h3>Compute over time, all models</h3>\n", AllModelsComputeSvg(data),
      "</section>\n");
}

std::string LeafRangesHtml(const std::vector<LeafRange>& ranges,
                           size_t inline_ranges) {
  if (ranges.empty()) return "none";
  const uint64_t count = LeafCount(ranges);
  const std::string label = count == 1 ? "leaf " : "leaves ";
  if (ranges.size() <= inline_ranges) {
    return absl::StrCat(label, LeafRangesText(ranges), " (", count, ")");
  }
  std::vector<LeafRange> head(ranges.begin(), ranges.begin() + inline_ranges);
  return absl::StrCat("<details><summary>", label, LeafRangesText(head),
                      ", … (", count, " in ", ranges.size(),
                      " ranges)</summary><span class=mono-wrap>",
                      LeafRangesText(ranges), "</span></details>");
}

std::string FormHtml(const ModelForm& form) {
  std::string out =
      "<table class=form>\n<tr><th>item</th><th>figure</th><th>method / "
      "boundary</th><th>evidence (proven leaves)</th></tr>\n";
  // Most figures rest on the same intervals: their full list is printed
  // once, later rows refer to the first row that printed it.
  std::vector<std::pair<std::string, const std::vector<LeafRange>*>> printed;
  auto evidence = [&printed](const std::string& name,
                             const std::vector<LeafRange>& ranges) {
    for (const auto& [first_name, first] : printed) {
      if (ranges.size() > 3 && first->size() == ranges.size() &&
          std::equal(ranges.begin(), ranges.end(), first->begin(),
                     [](const LeafRange& a, const LeafRange& b) {
                       return a.first == b.first && a.last == b.last;
                     })) {
        return absl::StrCat("the same ", LeafCount(ranges), " leaves as <i>",
                            first_name, "</i>");
      }
    }
    printed.emplace_back(name, &ranges);
    return LeafRangesHtml(ranges);
  };
  auto row = [&out, &evidence](const std::string& name, const FormFigure& f) {
    std::string figure =
        f.known ? absl::StrCat("<b>", HtmlEscape(FormFigureText(f)), "</b>")
                : absl::StrCat("<span class=na>", HtmlEscape(f.status),
                               "</span>: ", HtmlEscape(f.reason));
    std::string method = HtmlEscape(f.method);
    if (!f.boundary.empty())
      absl::StrAppend(&method, method.empty() ? "" : "<br>",
                      "boundary: ", HtmlEscape(f.boundary));
    absl::StrAppend(&out, "<tr><td>", name, "</td><td>", figure, "</td><td>",
                    method, "</td><td>", evidence(name, f.evidence),
                    "</td></tr>\n");
  };
  for (const auto& [name, figure] : NamedFigures(form))
    row(absl::StrCat(name, " (", figure->unit, ")"), *figure);
  if (form.hardware.empty()) {
    out +=
        "<tr><td>Hardware used</td><td><span class=na>not "
        "measured</span></td><td></td><td>none</td></tr>\n";
  }
  for (const FormHardware& h : form.hardware) {
    absl::StrAppend(&out, "<tr><td>Hardware used</td><td><b>",
                    HtmlEscape(h.device_model), "</b>: ", h.gpus, " GPUs on ",
                    h.nodes, " nodes, ", FormNumber(h.gpu_days, "GPU-days"),
                    " GPU-days</td><td>collector interval records (distinct "
                    "nodes × largest GPU count)</td><td>",
                    evidence("Hardware used", h.evidence), "</td></tr>\n");
  }
  return out + "</table>\n";
}

}  // namespace ledgerctl
