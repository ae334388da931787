// Version 3 of the compute and energy statement (issue 23, "Size and
// speed"): bounded however many entries the model has. Its measured figures
// are the verifiable index's proven per-model totals (index/model_totals.h,
// map version 2; index/totals_answer.h), not a re-fold of every entry: the
// file holds the log's checkpoint, the model's declarations with their
// inclusion proofs and signer keys (the declared figures), the index output
// log's signed checkpoint and the totals answer (output leaf + inclusion,
// map proof of (count, list root, totals hash), the totals' bytes), and the
// form built from them. Format: docs/provider-guide.md §6 ("Version 3").
//
// What a verifier trusts: the log's key for the checkpoint and the
// declarations; the index output log's key (and whoever witnesses and
// replays that log with verify-index, which recomputes every key's totals)
// for the totals. It does not see the entries the totals fold from.
//
// Pure: no network, no files, no clock. Thread-compatible.
#ifndef TOOLS_LEDGERCTL_STATEMENT_TOTALS_H_
#define TOOLS_LEDGERCTL_STATEMENT_TOTALS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "api/client/log_verifier.h"
#include "index/totals_answer.h"
#include "tools/ledgerctl/statement.h"

namespace ledgerctl {

// The version 3 statement of `model_id`: `declaration_leaves` (the model's
// own declarations; other leaves are an error) proven in `cp` through
// `reader`, and `answer` for the model, proven in the output checkpoint
// `index_cp`. kFailedPrecondition when the index is not as of `cp` (run
// index-update to it first); the answer's verification errors; kNotFound
// for a signer `signers` does not know.
absl::StatusOr<Statement> BuildTotalsStatement(
    api::client::LogReader& reader, const api::client::VerifiedCheckpoint& cp,
    const std::string& model_id,
    const std::vector<uint64_t>& declaration_leaves,
    const SignerLookup& signers,
    const api::client::VerifiedCheckpoint& index_cp,
    const vindex::TotalsAnswer& answer);

// Verifies a version 3 statement offline: VerifyStatementEntries under the
// log's `verifier` (checkpoint, every declaration's inclusion, signature
// and role, one of them declaring the model); every leaf is a declaration
// of the model itself; the output checkpoint under `index_verifier`; the
// totals answer (vindex::VerifyTotalsAnswer); that the index is as of the
// statement's checkpoint exactly; that the list holds at least the
// intervals and declarations counted; and that the form built from the
// totals and the latest declaration is exactly `form_json`. kDataLoss
// naming the failure; kInvalidArgument for another version.
absl::StatusOr<VerifiedStatement> VerifyTotalsStatement(
    const Statement& statement, const api::client::LogVerifier& verifier,
    const api::client::LogVerifier& index_verifier);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_STATEMENT_TOTALS_H_
