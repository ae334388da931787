// Parts of the offline HTML report (report_html.h) a reader meets first and
// the per-model Model Documentation Form: the summary page (models by status,
// open findings by AI Office unit and severity, compute of every model over
// time on one log axis with the 1e23 / 1e25 thresholds), the form section,
// and leaf lists grouped as ranges in a <details> element. Pure.
//
// The summary's numbers carry data-* attributes (data-status, data-unit,
// data-severity, data-count) so a test can read them back from the DOM.
#ifndef TOOLS_LEDGERCTL_REPORT_SECTIONS_H_
#define TOOLS_LEDGERCTL_REPORT_SECTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "api/v1/ledger_service.pb.h"
#include "tools/ledgerctl/leaf_ranges.h"
#include "tools/ledgerctl/model_form.h"

namespace ledgerctl {

struct ReportData;
struct ReportModel;

// Each (model, rule)'s latest recorded finding (by leaf), in the order first
// seen.
std::vector<aifl::api::v1::RecordedFinding> LatestFindings(
    const std::vector<aifl::api::v1::RecordedFinding>& recorded);

// The threshold part of a model's status: "above 1e25 (systemic-risk
// presumption)", "may be above 1e25", ..., "below 1e23".
std::string ThresholdStatus(const ReportModel& model);

// The summary page (an <section id="summary">).
std::string SummaryHtml(const ReportData& data);

// All models' measured cumulative compute (upper bounds) over time on one
// log axis, with both thresholds: an inline <svg>.
std::string AllModelsComputeSvg(const ReportData& data);

// The Model Documentation Form of one model as an HTML table.
std::string FormHtml(const ModelForm& form);

// "leaves 1200–1890 (691)" with the full range list in a <details> element
// when there are more than `inline_ranges` ranges; "none" when empty.
std::string LeafRangesHtml(const std::vector<LeafRange>& ranges,
                           size_t inline_ranges = 3);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_REPORT_SECTIONS_H_
