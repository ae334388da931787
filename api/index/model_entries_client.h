// The client of Audit.GetModelEntries: fetches a model's complete answer
// from a server hosting the index, page by page, and verifies each part as
// it comes (index/model_page.h): the output log's checkpoint under its
// verifier key, the head against it, every page's range proof against the
// head's list root, every entry's inclusion and MapFn. The caller then ties
// the update's input to its own view of the input log (input_tie.h) and
// bounds its lag (CheckIndexLag).
//
// Not thread-safe (one call, one answer).
#ifndef API_INDEX_MODEL_ENTRIES_CLIENT_H_
#define API_INDEX_MODEL_ENTRIES_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "api/client/log_verifier.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "index/model_page.h"

namespace api::index {

struct ModelEntriesOptions {
  std::optional<uint64_t> as_of;  // only the entries below this input size
  uint32_t page_size = 0;         // 0: the server's (1000)
  // Refuse an answer holding a redacted entry (index/FORMAT.md, "Redacted
  // entries"): one the server withheld from this caller is then an error,
  // not an entry proven listed and included but unchecked by MapFn.
  bool refuse_redacted = false;
};

struct VerifiedModelPages {
  client::VerifiedCheckpoint output_checkpoint;
  vindex::ModelPagesVerifier answer;  // done(): every page verified
  std::string head_output_leaf;       // the update's leaf (its time)
  uint64_t pages = 0;
};

// Fetches and verifies `model_id`'s answer from `audit`; `index_log`
// verifies the output log's checkpoint. kDataLoss saying which check
// failed (a stale index, a page that omits an entry or holds a foreign
// one, a bad proof, a page that does not follow the last);
// kFailedPrecondition naming the first redacted entry with
// refuse_redacted (no page is asked after it); the server's errors as
// FromGrpcStatus ("Audit.GetModelEntries: ...").
absl::StatusOr<VerifiedModelPages> FetchModelEntries(
    aifl::api::v1::Audit::Stub& audit, const client::LogVerifier& index_log,
    const std::string& model_id, const ModelEntriesOptions& options);

// kDataLoss ("stale index: ...") when the update indexes more than
// `max_lag` leaves fewer than the input log's verified size `input_size`.
absl::Status CheckIndexLag(const vindex::IndexUpdate& update,
                           uint64_t input_size, uint64_t max_lag);

}  // namespace api::index

#endif  // API_INDEX_MODEL_ENTRIES_CLIENT_H_
