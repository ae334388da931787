// Version 2 of the compute and energy statement (issue 23, "Size and
// speed"): the statement also carries the verifiable per-model index's
// answer for its model (index/FORMAT.md, "Answers"), so that an auditor can
// check that the evidence leaves out no entry the figures fold from.
//
// Why the entries still travel: the form's figures (model_form.h) are sums
// and distinct counts over every training interval, and the index commits
// only to the model's list of leaf indices (count, list root), never to a
// fold of them. So the figures re-fold only from all the entries; the index
// adds completeness, not a shorter statement. Entries of the index's list
// that are already statement leaves travel once (the answer holds only
// their index).
//
// Pure: no network, no files, no clock. Thread-compatible.
#ifndef TOOLS_LEDGERCTL_STATEMENT_INDEX_H_
#define TOOLS_LEDGERCTL_STATEMENT_INDEX_H_

#include "absl/status/status.h"
#include "api/client/log_verifier.h"
#include "index/model_answer.h"
#include "tools/ledgerctl/statement.h"

namespace ledgerctl {

// The one check that an index update is as of a statement's checkpoint `cp`
// exactly (same input size and root), for version 2 and 3 statements, built
// and verified. kFailedPrecondition naming both sizes otherwise (a verifier
// reports it as kDataLoss).
absl::Status CheckIndexAsOf(const vindex::IndexUpdate& update,
                            const api::client::VerifiedCheckpoint& cp);

// Makes `statement` a version 2 statement: `answer` (MakeModelAnswer for the
// statement's model, proven in the output log's checkpoint `index_cp`) with
// the entries that are statement leaves cut to their index.
// kFailedPrecondition when the index is not as of the statement's
// checkpoint (`cp`): run index-update to it first.
absl::Status AttachIndex(const api::client::VerifiedCheckpoint& cp,
                         const api::client::VerifiedCheckpoint& index_cp,
                         vindex::ModelAnswer answer, Statement* statement);

// Verifies a version 2 statement's index part, after VerifyStatement gave
// `cp`: the output checkpoint under `index_verifier`; the answer by
// vindex::VerifyModelAnswer, its cut entries filled in from the statement's
// leaves; that the index is as of `cp` exactly (same size and root); and
// that every IntervalReport the index lists for the model, and every
// declaration of the model itself, is among the statement's leaves. kDataLoss
// naming the failure; kInvalidArgument for a version 1 statement.
absl::Status VerifyStatementIndex(
    const Statement& statement, const api::client::VerifiedCheckpoint& cp,
    const api::client::LogVerifier& index_verifier);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_STATEMENT_INDEX_H_
