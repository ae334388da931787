// Expands a finding's index citation (index/finding_citation.h) into proven
// entries: fetches the cited model's answer from a server hosting the index,
// as of the cited input size, through the one client of
// Audit.GetModelEntries (model_entries_client.h: output checkpoint, head,
// every page's range proof, every entry's inclusion and MapFn), then checks
// that the answer is the cited one: the same index (output-log origin), a
// MapFn that lists as the cited one does, and a list that recomputes to the
// cited count and list root. Behind `ledgerctl model --expand_index` and
// `ledgerctl report --expand_index`.
//
// Not thread-safe (one call, one answer).
#ifndef API_INDEX_CITATION_EXPAND_H_
#define API_INDEX_CITATION_EXPAND_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "api/client/log_verifier.h"
#include "api/index/model_entries_client.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "schema/findings.pb.h"

namespace api::index {

// The verified answer for `citation`'s model as of its input size
// (answer.entries(): exactly the cited list's entries, each proven).
// `index_log` verifies the output log's checkpoints. `options` as
// FetchModelEntries takes them (page size; refuse_redacted: the first
// redacted entry is kFailedPrecondition naming its leaf, and no page is
// asked after it), but the as-of size is the citation's: options.as_of
// must be unset (kInvalidArgument). Errors: kFailedPrecondition when the
// citation names another index than `index_log`'s origin or a MapFn
// version this client does not know; FetchModelEntries's (kDataLoss for a
// bad answer, kOutOfRange when the index is not yet at the cited size);
// CheckCitedList's (kDataLoss naming the cited and the served count and
// list root).
absl::StatusOr<VerifiedModelPages> ExpandCitation(
    aifl::api::v1::Audit::Stub& audit, const client::LogVerifier& index_log,
    const aifl::rules::v1::IndexCitation& citation,
    ModelEntriesOptions options = {});

}  // namespace api::index

#endif  // API_INDEX_CITATION_EXPAND_H_
