// A global model's totals for the Office ledger (aifl.office.v1.ModelTotals):
// the union's combined figures and each factory's measured share, as
// `ledgerctl models --server OFFICE` prints them. Pure; thread-compatible.
#ifndef COMPLIANCE_MODEL_TOTALS_H_
#define COMPLIANCE_MODEL_TOTALS_H_

#include "absl/time/time.h"
#include "compliance/office_rules.h"
#include "schema/office.pb.h"

namespace compliance {

aifl::office::v1::ModelTotals TotalsOf(const MergedModel& model,
                                       absl::Time now);

// True when the two say the same to a reader: every figure equal at two
// significant figures, every count and factory equal (the time aside).
bool SameTotals(const aifl::office::v1::ModelTotals& a,
                const aifl::office::v1::ModelTotals& b);

}  // namespace compliance

#endif  // COMPLIANCE_MODEL_TOTALS_H_
