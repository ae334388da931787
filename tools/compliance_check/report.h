// Renders a compliance_check result for people (text grouped by AI Office
// unit) or programs (JSON). Pure functions.
#ifndef TOOLS_COMPLIANCE_CHECK_REPORT_H_
#define TOOLS_COMPLIANCE_CHECK_REPORT_H_

#include <string>

#include "schema/findings.pb.h"
#include "tools/compliance_check/compliance_check.h"

namespace compliance_check {

// Text: a header (ledger, entries, clock, pack), then per unit (Regulation
// and Compliance, AI Safety) each finding with rule, citation, fact tag,
// severity, model, message, figures (two significant figures, range and
// method), deadline and evidence leaves; then what was recorded.
std::string TextReport(const CheckResult& result,
                       aifl::rules::v1::Severity fail_on);
// One JSON object with the same content.
std::string JsonReport(const CheckResult& result,
                       aifl::rules::v1::Severity fail_on);

// "1.2e+23..1.4e+23 FLOP (MEASURED_TENSOR_ACTIVITY)"; counts as integers.
std::string FigureText(const aifl::rules::v1::Figure& figure);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_REPORT_H_
