#include "tools/ledgerctl/report_html.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "rules/evidence.h"
#include "tools/ledgerctl/finding_format.h"
#include "tools/ledgerctl/leaf_ranges.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/report_sections.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;
namespace rules_v1 = ::aifl::rules::v1;

constexpr char kStyle[] = R"(
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-top:8px}
h3{font-size:15px}table{border-collapse:collapse;margin:6px 0 12px}
td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left;vertical-align:top}
th{background:#f0f0f0}.mono{font-family:monospace;font-size:11px;white-space:nowrap}
pre{background:#f7f7f7;padding:8px;font-size:12px;white-space:pre-wrap}
.RAISED{color:#b00000;font-weight:bold}.CLEARED{color:#2a7a2a}
.status{font-weight:bold}.note{color:#555;font-size:13px}
.num{text-align:right}.sev-CRITICAL,.sev-VIOLATION{background:#fbe3e3;font-weight:bold}
.sev-WARNING{background:#fff3d6}.na{color:#9a5b00;font-weight:bold}
details summary{cursor:pointer;color:#1f5fbf}.mono-wrap{font-family:monospace;font-size:11px}
nav{font-size:13px;margin:8px 0 16px}section.model{border-top:3px solid #1f5fbf;margin-top:28px}
)";

std::string Time(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::string Row(std::initializer_list<std::string> cells, bool header = false) {
  std::string out = "<tr>";
  for (const std::string& c : cells)
    absl::StrAppend(&out, header ? "<th>" : "<td>", c,
                    header ? "</th>" : "</td>");
  return out + "</tr>\n";
}

std::string Polyline(const std::vector<std::pair<double, double>>& points,
                     const std::string& colour, const std::string& dash) {
  std::string d;
  for (const auto& [x, y] : points)
    absl::StrAppend(&d, absl::StrFormat("%.1f,%.1f ", x, y));
  return absl::StrFormat(
      "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
      "stroke-dasharray=\"%s\" points=\"%s\"/>\n",
      colour, dash, d);
}

std::string FactsTable(const ReportModel& m) {
  const v1::ModelSummary& s = m.detail.summary();
  std::string out = "<table>\n";
  out += Row({"model", HtmlEscape(s.model_id())});
  out +=
      Row({"provider", HtmlEscape(s.provider().empty() ? "-" : s.provider())});
  out += Row({"base model",
              HtmlEscape(s.base_model_id().empty() ? "-" : s.base_model_id())});
  out += Row({"training compute (FLOP)",
              FlopRangeText(s.training_compute_flop().lower(),
                            s.training_compute_flop().upper()) +
                  " <span class=note>" +
                  HtmlEscape(s.training_compute_flop().method()) + "</span>"});
  out +=
      Row({"cumulative compute (FLOP)",
           FlopRangeText(s.cumulative_compute_flop().lower(),
                         s.cumulative_compute_flop().upper()) +
               " <span class=note>" +
               HtmlEscape(s.cumulative_compute_flop().method()) + "</span>"});
  out += Row({"accelerator energy",
              TwoSignificant(s.energy_joules()) + " J (" +
                  TwoSignificant(s.energy_joules() / 3.6e9) + " MWh)"});
  out += Row({"runs", absl::StrCat(s.runs())});
  out += Row({"open findings", absl::StrCat(s.open_findings())});
  out +=
      Row({"status", "<span class=status>" + HtmlEscape(m.status) + "</span>"});
  return out + "</table>\n";
}

// An AI Office ledger's global model: each factory's share of the union
// (aifl.office.v1.FactoryShare), with its evidence counts. Empty for a
// factory's own model.
std::string FactorySharesTable(const ReportModel& m) {
  const v1::ModelSummary& s = m.detail.summary();
  if (s.factories_size() == 0) return "";
  std::string out =
      "<h3>Share of each factory (AI Office)</h3>\n<p class=note>Measured "
      "at each factory's log, which the AI Office verified entry by entry; "
      "the figures above are the union.</p>\n<table class=shares>\n";
  out += Row({"factory (origin)", "training compute (FLOP)",
              "cumulative compute (FLOP)", "energy (J)", "runs", "declarations",
              "documents", "interval leaves"},
             true);
  for (const aifl::office::v1::FactoryShare& f : s.factories()) {
    out += Row({HtmlEscape(f.origin()),
                FlopRangeText(f.measured_training().lower(),
                              f.measured_training().upper()),
                FlopRangeText(f.measured_cumulative().lower(),
                              f.measured_cumulative().upper()),
                TwoSignificant(f.accelerator_energy_joules()),
                absl::StrCat(f.runs()), absl::StrCat(f.declarations()),
                absl::StrCat(f.documents()), absl::StrCat(f.counted_leaves())});
  }
  return out + "</table>\n";
}

std::string ComputeTables(const ReportModel& m) {
  std::string out = "<h3>Compute per scheduler account</h3>\n<table>\n";
  out += Row({"account", "FLOP (upper bound)"}, true);
  std::map<std::string, double> accounts(m.detail.compute_by_account().begin(),
                                         m.detail.compute_by_account().end());
  for (const auto& [a, f] : accounts)
    out += Row({HtmlEscape(a), TwoSignificant(f)});
  out += "</table>\n<h3>Runs (compute per run label)</h3>\n<table>\n";
  out += Row({"run label", "FLOP (upper bound)"}, true);
  std::map<std::string, double> labels(m.detail.compute_by_run_label().begin(),
                                       m.detail.compute_by_run_label().end());
  for (const auto& [l, f] : labels)
    out += Row({HtmlEscape(l), TwoSignificant(f)});
  return out + "</table>\n";
}

std::string FindingsTable(const ReportModel& m) {
  if (m.findings.empty()) return "<p>No findings recorded.</p>\n";
  const std::vector<v1::RecordedFinding> latest = LatestFindings(m.findings);
  std::string out =
      absl::StrCat("<p class=note>The latest recorded state of each rule (",
                   latest.size(), " of ", m.findings.size(),
                   " finding entries on the ledger; earlier states stay on the "
                   "ledger).</p>\n<table>\n");
  out += Row({"leaf", "state", "severity", "unit", "rule", "finding",
              "citation", "evidence"},
             true);
  for (const v1::RecordedFinding& r : latest) {
    const rules_v1::Finding& f = r.finding();
    const std::vector<uint64_t> leaves = rules::CitedLeaves(f);
    std::string evidence = LeafRangesHtml(ToLeafRanges(leaves));
    if (leaves.size() < rules::EvidenceCount(f)) {  // ranges were cut
      absl::StrAppend(&evidence, " … (", rules::EvidenceCount(f),
                      " leaves in all; SHA-256 of all: ",
                      absl::BytesToHexString(f.evidence_sha256()), ")");
    }
    if (f.has_index_citation()) {
      const rules_v1::IndexCitation& c = f.index_citation();
      absl::StrAppend(&evidence, "<br>index: ", c.count(), " entries about ",
                      HtmlEscape(c.model_key()), " below size ", c.input_size(),
                      ", list root <span class=mono>",
                      absl::BytesToHexString(c.list_root()).substr(0, 16),
                      "…</span>");
    }
    const std::string state = rules_v1::FindingState_Name(f.state());
    out += Row(
        {absl::StrCat(r.leaf_index()),
         "<span class=" + state + ">" + state + "</span>",
         rules_v1::Severity_Name(f.severity()), UnitName(f.unit()),
         HtmlEscape(f.rule_id()),
         "<b>" + HtmlEscape(f.title()) + "</b><br>" + HtmlEscape(f.message()),
         HtmlEscape(f.citation()), evidence});
  }
  return out + "</table>\n";
}

// The findings' index citations expanded (--expand_index): each one's
// entries by payload type, as leaf ranges. Empty without.
std::string CitationsTable(const ReportModel& m) {
  if (m.citations.empty()) return "";
  std::string out =
      "<h3>Index citations, expanded</h3>\n<p class=note>Each citation's "
      "entries were fetched from the per-model index, every one proven "
      "included in the log and about the model, the list proven complete "
      "below the cited size and equal to the citation's count and list "
      "root.</p>\n<table>\n";
  out += Row({"model key", "below size", "entries", "list root", "index",
              "entries by payload type (all proven)"},
             true);
  for (const ExpandedCitation& e : m.citations) {
    std::map<std::string, std::vector<uint64_t>> by_type;
    for (const ExpandedCitation::Entry& entry : e.entries) {
      by_type[entry.payload_type].push_back(entry.index);
    }
    std::string entries;
    for (const auto& [type, leaves] : by_type) {
      absl::StrAppend(&entries, HtmlEscape(type), ": ",
                      LeafRangesHtml(ToLeafRanges(leaves)), "<br>");
    }
    const rules_v1::IndexCitation& c = e.citation;
    out += Row({HtmlEscape(c.model_key()), absl::StrCat(c.input_size()),
                absl::StrCat(c.count()),
                "<span class=mono>" + absl::BytesToHexString(c.list_root()) +
                    "</span>",
                HtmlEscape(c.index_origin()), entries});
  }
  return out + "</table>\n";
}

// Evidence grouped by payload type as leaf ranges; the inclusion proof is
// printed for the first leaf of each range (at most kProofsShown), every
// leaf having been proven when the report was made.
std::string EvidenceTable(const ReportModel& m) {
  constexpr size_t kProofsShown = 20;
  std::map<std::string, std::vector<uint64_t>> by_type;
  std::map<uint64_t, const EvidenceItem*> by_index;
  for (const EvidenceItem& e : m.evidence) {
    by_type[e.payload_type.empty() ? "(unparsed)" : e.payload_type].push_back(
        e.index);
    by_index[e.index] = &e;
  }
  std::string out = "<table>\n";
  out += Row({"payload type", "leaves (all proven included)"}, true);
  std::vector<uint64_t> sampled;
  for (const auto& [type, leaves] : by_type) {
    const std::vector<LeafRange> ranges = ToLeafRanges(leaves);
    out += Row({HtmlEscape(type), LeafRangesHtml(ranges)});
    for (const LeafRange& r : ranges)
      if (sampled.size() < kProofsShown) sampled.push_back(r.first);
  }
  out += "</table>\n";
  if (sampled.empty()) return out;
  absl::StrAppend(
      &out, "<details><summary>Inclusion proofs of ", sampled.size(),
      " leaves (the first of each range; any other: "
      "<code>ledgerctl prove --index I</code>)</summary>\n<table>\n");
  out += Row({"leaf", "payload type", "integrated", "leaf hash",
              "inclusion proof (base64, leaf to root)"},
             true);
  for (uint64_t index : sampled) {
    const EvidenceItem& e = *by_index[index];
    std::string proof;
    for (const std::string& h : e.proof) absl::StrAppend(&proof, h, "<br>");
    out += Row({absl::StrCat(e.index), HtmlEscape(e.payload_type),
                Time(e.integration_unix_micros / 1000),
                "<span class=mono>" + e.leaf_hash + "</span>",
                "<span class=mono>" + proof + "</span>"});
  }
  return out + "</table></details>\n";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

double LogPlot::Y(double flop) const {
  const double l = std::log10(std::max(flop, std::pow(10.0, dlo)));
  return top + height - (l - dlo) / (dhi - dlo) * height;
}

LogPlot MakeLogPlot(double left, double top, double width, double height,
                    double lo, double hi) {
  LogPlot p;
  p.left = left;
  p.top = top;
  p.width = width;
  p.height = height;
  p.dlo = static_cast<int>(std::floor(std::log10(lo)));
  p.dhi = std::max(p.dlo + 1, static_cast<int>(std::ceil(std::log10(hi))));
  return p;
}

std::string OpenLogPlot(const LogPlot& p, double svg_width, double svg_height) {
  std::string out = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
      "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
      "font-size=\"12\">\n<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
      "height=\"%.0f\" fill=\"#fafafa\" stroke=\"#999\"/>\n",
      svg_width, svg_height, svg_width, svg_height, p.left, p.top, p.width,
      p.height);
  for (int d = p.dlo; d <= p.dhi; ++d) {
    const double yy = p.Y(std::pow(10.0, d));
    absl::StrAppend(
        &out, absl::StrFormat(
                  "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
                  "y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n<text x=\"%.0f\" "
                  "y=\"%.1f\" text-anchor=\"end\">1e%d</text>\n",
                  p.left, p.left + p.width, yy, yy, p.left - 6, yy + 4, d));
  }
  return out;
}

namespace {

// ComputeSvg's layout (pixels).
constexpr double kSvgW = 900, kSvgH = 380, kSvgLeft = 70, kSvgRight = 210,
                 kSvgTop = 20, kSvgBottom = 50;
constexpr double kPlotW = kSvgW - kSvgLeft - kSvgRight,
                 kPlotH = kSvgH - kSvgTop - kSvgBottom;

// The plot's time axis: [t0, t1] across the plot's width.
struct TimeAxis {
  int64_t t0 = 0, t1 = 1;
  double X(int64_t t) const {
    return kSvgLeft + static_cast<double>(t - t0) / (t1 - t0) * kPlotW;
  }
};

// Log axis spanning the thresholds and every value shown.
LogPlot ComputePlot(const ReportModel& m) {
  double lo = 1e22, hi = 1e26;
  for (const ComputePoint& p : m.series) {
    for (double v : {p.training_flop, p.cumulative_flop})
      if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  for (double v : {m.declared_training_flop, m.declared_cumulative_flop})
    if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
  return MakeLogPlot(kSvgLeft, kSvgTop, kPlotW, kPlotH, lo, hi);
}

TimeAxis ComputeTimeAxis(const ReportModel& m) {
  TimeAxis axis;
  if (!m.series.empty()) {
    axis.t0 = m.series.front().unix_ms;
    axis.t1 = m.series.back().unix_ms;
    if (axis.t1 <= axis.t0) axis.t1 = axis.t0 + 3600 * 1000;
  }
  return axis;
}

// The 1e23 and 1e25 thresholds, labelled right of the plot.
std::string ThresholdLinesSvg(const LogPlot& plot) {
  struct Threshold {
    double flop;
    const char* label;
    const char* colour;
  };
  std::string out;
  for (const Threshold& t :
       {Threshold{kGpaiThresholdFlop, "1e23 GPAI indicative", "#e08000"},
        Threshold{kSystemicRiskThresholdFlop, "1e25 systemic risk",
                  "#c00000"}}) {
    const double yy = plot.Y(t.flop);
    absl::StrAppend(
        &out, absl::StrFormat(
                  "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"%s\" stroke-width=\"1.5\" "
                  "stroke-dasharray=\"6 4\"/>\n<text x=\"%.0f\" y=\"%.1f\" "
                  "fill=\"%s\">%s</text>\n",
                  kSvgLeft, kSvgLeft + kPlotW, yy, yy, t.colour,
                  kSvgLeft + kPlotW + 6, yy + 4, t.colour, t.label));
  }
  return out;
}

// The declared training and cumulative compute, where declared.
std::string DeclaredLinesSvg(const ReportModel& m, const LogPlot& plot) {
  std::string out;
  for (const auto& [v, label] :
       {std::pair<double, const char*>{m.declared_cumulative_flop,
                                       "declared cumulative"},
        {m.declared_training_flop, "declared training"}}) {
    // Cumulative's label above its line, training's below: the two are
    // often close.
    const double label_dy = std::string(label) == "declared training" ? 13 : -3;
    if (v <= 0) continue;
    const double yy = plot.Y(v);
    absl::StrAppend(
        &out, absl::StrFormat(
                  "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
                  "y2=\"%.1f\" stroke=\"#777\" stroke-dasharray=\"2 "
                  "3\"/>\n<text x=\"%.0f\" y=\"%.1f\" "
                  "fill=\"#555\">%s %s</text>\n",
                  kSvgLeft, kSvgLeft + kPlotW, yy, yy, kSvgLeft + kPlotW + 6,
                  yy + label_dy, label, TwoSignificant(v)));
  }
  return out;
}

// The measured cumulative and training lines.
std::string MeasuredLinesSvg(const ReportModel& m, const LogPlot& plot,
                             const TimeAxis& axis) {
  // Long series are thinned to about kMaxPoints (the last point always
  // drawn); points are marked only when few.
  constexpr size_t kMaxPoints = 500;
  const size_t step = std::max<size_t>(1, m.series.size() / kMaxPoints);
  std::vector<std::pair<double, double>> cumulative, training;
  for (size_t i = 0; i < m.series.size(); ++i) {
    if (i % step != 0 && i + 1 != m.series.size()) continue;
    const ComputePoint& p = m.series[i];
    cumulative.emplace_back(axis.X(p.unix_ms), plot.Y(p.cumulative_flop));
    training.emplace_back(axis.X(p.unix_ms), plot.Y(p.training_flop));
  }
  std::string out = Polyline(cumulative, "#1f5fbf", "none");
  // Dashed, so it stays visible where training equals cumulative.
  out += Polyline(training, "#2a9a2a", "6 4");
  if (cumulative.size() > 100) cumulative.clear();
  for (const auto& [px, py] : cumulative)
    absl::StrAppend(&out, absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" "
                                          "r=\"3\" fill=\"#1f5fbf\"/>\n",
                                          px, py));
  return out;
}

// The time labels (or "no measured intervals"), the legend and the end.
std::string ComputeSvgFooter(const ReportModel& m, const TimeAxis& axis) {
  std::string out;
  if (!m.series.empty()) {
    absl::StrAppend(
        &out, absl::StrFormat(
                  "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n<text x=\"%.0f\" "
                  "y=\"%.0f\" text-anchor=\"end\">%s</text>\n",
                  kSvgLeft, kSvgTop + kPlotH + 18, Time(axis.t0),
                  kSvgLeft + kPlotW, kSvgTop + kPlotH + 18, Time(axis.t1)));
  } else {
    absl::StrAppend(&out, absl::StrFormat("<text x=\"%.0f\" y=\"%.0f\">no "
                                          "measured intervals</text>\n",
                                          kSvgLeft + 20, kSvgTop + kPlotH / 2));
  }
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "<text x=\"%.0f\" y=\"%.0f\" fill=\"#1f5fbf\">&#9632; cumulative "
          "(measured, upper)</text>\n<text x=\"%.0f\" y=\"%.0f\" "
          "fill=\"#2a9a2a\">&#9632; training (measured, upper)</text>\n"
          "<text x=\"14\" y=\"%.0f\" transform=\"rotate(-90 14 %.0f)\" "
          "text-anchor=\"middle\">FLOP (log scale)</text>\n</svg>\n",
          kSvgLeft, kSvgH - 10, kSvgLeft + 260, kSvgH - 10,
          kSvgTop + kPlotH / 2, kSvgTop + kPlotH / 2));
  return out;
}

}  // namespace

std::string ComputeSvg(const ReportModel& m) {
  const LogPlot plot = ComputePlot(m);
  const TimeAxis axis = ComputeTimeAxis(m);
  return absl::StrCat(OpenLogPlot(plot, kSvgW, kSvgH), ThresholdLinesSvg(plot),
                      DeclaredLinesSvg(m, plot),
                      MeasuredLinesSvg(m, plot, axis),
                      ComputeSvgFooter(m, axis));
}

std::string RenderReport(const ReportData& data) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>AI Factory ledger report</title>\n<style>",
      kStyle,
      "</style></head><body>\n<h1>AI Factory compliance ledger: "
      "audit report</h1>\n<p class=note>Generated ",
      HtmlEscape(data.generated_at), " from ", HtmlEscape(data.server),
      ". Every figure below comes from entries proven to be in the signed "
      "checkpoint at the end of this report.</p>\n");
  if (data.simulated_clock_since) {
    absl::StrAppend(
        &out,
        "<p class=simulated style=\"border:2px solid #b00;padding:.5em\">"
        "<strong>SIMULATED CLOCK</strong>: this ledger's integration times "
        "follow a simulated clock from tree size ",
        *data.simulated_clock_since,
        " on. Dates and deadlines below are not a real factory's "
        "record.</p>\n");
  }
  std::string nav;
  for (const ReportModel& m : data.models) {
    const std::string id = HtmlEscape(m.detail.summary().model_id());
    absl::StrAppend(&nav, nav.empty() ? "" : " · ", "<a href=\"#model-", id,
                    "\">", id, "</a>");
  }
  absl::StrAppend(&out, SummaryHtml(data), "<nav>Models: ", nav,
                  " · <a href=\"#checkpoint\">checkpoint</a></nav>\n");
  for (const ReportModel& m : data.models) {
    const std::string id = HtmlEscape(m.detail.summary().model_id());
    absl::StrAppend(
        &out, "<section class=model id=\"model-", id, "\">\n<h2>Model ", id,
        "</h2>\n", FactsTable(m), FactorySharesTable(m),
        "<h3>Model Documentation Form (Annex XI 1.2(d)-(e))</h3>\n",
        FormHtml(m.form), "<h3>Compute over time</h3>\n", ComputeSvg(m),
        ComputeTables(m), "<h3>Findings</h3>\n", FindingsTable(m),
        CitationsTable(m), "<h3>Evidence (", m.evidence.size(),
        " leaves)</h3>\n", EvidenceTable(m), "</section>\n");
  }
  absl::StrAppend(
      &out,
      "<h2 id=\"checkpoint\">Checkpoint and verification</h2>\n<p>Tree size ",
      data.tree_size, ", root <span class=mono>", HtmlEscape(data.root),
      "</span>. Log verifier key:</p>\n<pre>", HtmlEscape(data.verifier_key),
      "</pre>\n<p>Signed checkpoint (C2SP signed note):</p>\n<pre>",
      HtmlEscape(data.checkpoint_note),
      "</pre>\n<p class=note>To verify offline: check the note's signature "
      "with the verifier key; for each evidence leaf, fetch its bytes "
      "(<code>ledgerctl leaf --index I</code>), hash them (RFC 6962 leaf "
      "hash) and fold the proof above up to the root (RFC 6962 inclusion "
      "proof at the tree size); or run <code>ledgerctl prove --server S "
      "--index I</code>.</p>\n</body></html>\n");
  return out;
}

}  // namespace ledgerctl
