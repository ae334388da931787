// The auditor's offline HTML report: one self-contained file (inline CSS and
// SVG, no scripts, no external resources) with each model's facts, compute
// over time against the 1e23 / 1e25 FLOP thresholds, energy, runs, findings
// with citations, and the checkpoint and inclusion proofs that make it
// verifiable. Pure: RenderReport only formats the values it is given.
#ifndef TOOLS_LEDGERCTL_REPORT_HTML_H_
#define TOOLS_LEDGERCTL_REPORT_HTML_H_

#include <cstdint>
#include <string>
#include <vector>

#include "api/v1/ledger_service.pb.h"

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
};

struct ReportData {
  std::string generated_at;  // RFC 3339
  std::string server;
  std::string verifier_key;
  std::string checkpoint_note;  // the verified signed note
  uint64_t tree_size = 0;
  std::string root;  // base64
  std::vector<ReportModel> models;
};

// The complete HTML document.
std::string RenderReport(const ReportData& data);

// The compute plot alone: an inline <svg> with a log-scale FLOP axis.
std::string ComputeSvg(const ReportModel& model);

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string HtmlEscape(const std::string& text);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_REPORT_HTML_H_
