// The auditor's offline HTML report: one self-contained file (inline CSS and
// SVG, no scripts, no external resources). A summary page first (models by
// status, open findings by unit and severity, all models' compute over time
// against the 1e23 / 1e25 FLOP thresholds: report_sections.h), then one
// section per model: facts, the Model Documentation Form, compute over time,
// accounts and runs, findings with citations and their evidence as leaf
// ranges (and their index citation: count and list root below an input
// size), the index citations expanded into proven entries when the report
// was made with --expand_index, and the evidence grouped by payload type; last
// the signed checkpoint the evidence was proven in. Leaf lists are ranges with
// counts (expandable <details>), so the report stays small for large ledgers.
// Pure: RenderReport only formats the values it is given.
#ifndef TOOLS_LEDGERCTL_REPORT_HTML_H_
#define TOOLS_LEDGERCTL_REPORT_HTML_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/v1/ledger_service.pb.h"
#include "tools/ledgerctl/expanded_citation.h"
#include "tools/ledgerctl/model_form.h"

namespace ledgerctl {

// Measured compute (FLOP upper bounds, running sums) after an interval.
struct ComputePoint {
  int64_t unix_ms = 0;
  double training_flop = 0;
  double cumulative_flop = 0;
};

// One evidence leaf and its inclusion proof (base64 hashes) at the report's
// checkpoint.
struct EvidenceItem {
  uint64_t index = 0;
  std::string payload_type;
  int64_t integration_unix_micros = 0;
  std::string leaf_hash;  // base64 of the RFC 6962 leaf hash
  std::vector<std::string> proof;
};

struct ReportModel {
  aifl::api::v1::ModelDetail detail;
  std::string status;  // ModelStatus()
  std::vector<ComputePoint> series;
  double declared_training_flop = 0;  // 0 = none declared
  double declared_cumulative_flop = 0;
  std::vector<EvidenceItem> evidence;
  std::vector<aifl::api::v1::RecordedFinding> findings;
  // With --expand_index: the findings' distinct index citations, each
  // expanded into its proven entries (citation_expansion.h).
  std::vector<ExpandedCitation> citations;
  ModelForm form;  // the Model Documentation Form from the proven leaves
};

struct ReportData {
  std::string generated_at;  // RFC 3339
  std::string server;
  std::string verifier_key;
  std::string checkpoint_note;  // the verified signed note
  uint64_t tree_size = 0;
  std::string root;  // base64
  // Set when the server reports that the ledger's integration times follow a
  // simulated clock from this tree size on (Admin.GetStatus; ledger/FORMAT.md,
  // "Storage"): the report then says so at the top.
  std::optional<uint64_t> simulated_clock_since;
  std::vector<ReportModel> models;
};

// The complete HTML document.
std::string RenderReport(const ReportData& data);

// The frame both compute plots share: a plot area at (left, top) of
// width × height inside the <svg>, and a log FLOP axis from 10^dlo to 10^dhi.
struct LogPlot {
  double left = 0, top = 0, width = 0, height = 0;
  int dlo = 22, dhi = 26;
  // The y coordinate of `flop` (values below 10^dlo sit on the bottom edge).
  double Y(double flop) const;
};
// A LogPlot spanning [lo, hi] FLOP widened to whole decades.
LogPlot MakeLogPlot(double left, double top, double width, double height,
                    double lo, double hi);
// "<svg ...>" of svg_width × svg_height, the plot area's frame and one
// labelled gridline per decade. The caller closes the </svg>.
std::string OpenLogPlot(const LogPlot& plot, double svg_width,
                        double svg_height);

// The compute plot alone: an inline <svg> with a log-scale FLOP axis.
std::string ComputeSvg(const ReportModel& model);

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string HtmlEscape(const std::string& text);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_REPORT_HTML_H_
