// `ledgerctl report --server S [--model M] [--out FILE]`: gathers one model
// (or every model) from the Audit service, proves each evidence leaf in the
// latest verified checkpoint, rebuilds compute over time from the proven
// IntervalReports and writes the offline HTML report (report_html.h).
// Prints "wrote FILE: ..." (or JSON). Errors as in remote_commands.h.
// `ledgerctl form` prints one model's Model Documentation Form.
#ifndef TOOLS_LEDGERCTL_REPORT_COMMAND_H_
#define TOOLS_LEDGERCTL_REPORT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/report_html.h"

namespace ledgerctl {

absl::Status Report(const CommandArgs& args, std::ostream& out);

// `ledgerctl form --server S --model M [--json]`: the model's Model
// Documentation Form (model_form.h) from the same proven evidence as the
// report; JSON per docs/model-documentation-form.md. kInvalidArgument
// without --model; kNotFound for an unknown model; else as Report.
absl::Status Form(const CommandArgs& args, std::ostream& out);

// Folds a proven leaf into the model's compute series and declared figures:
// IntervalReports add their FLOP upper bound (training purposes to both
// series, synthetic-data / merge purposes to cumulative only, the rest to
// neither); a ModelDeclaration sets the declared figures. Other payloads are
// ignored. Pure.
void FoldEvidence(const std::string& payload_type, const std::string& payload,
                  ReportModel* model);

// The series FoldEvidence built (running sums in leaf order) re-summed in
// order of interval end time, so the plot never runs back in time: leaves
// from many nodes arrive out of time order. Pure.
std::vector<ComputePoint> SortedByTime(const std::vector<ComputePoint>& series);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_REPORT_COMMAND_H_
