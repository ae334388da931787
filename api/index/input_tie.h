// Ties an index update to the client's own view of the input log: the
// update's (input size, input root) must be a prefix of the input log's
// latest verified checkpoint (a consistency proof through the one
// LogReader), and name that log's origin. A complete answer
// (index/model_answer.h) is proven against the update's input root; this is
// what makes that root the log the client audits, not a fork served only to
// it.
//
// Not thread-safe (the reader is not).
#ifndef API_INDEX_INPUT_TIE_H_
#define API_INDEX_INPUT_TIE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "index/output_log.h"

namespace api::index {

// Returns the input log's verified size the update was checked against.
// kDataLoss when the origin differs, the update is beyond that size, or the
// roots are not consistent (a fork); the reader's errors otherwise.
absl::StatusOr<uint64_t> CheckUpdateInInput(client::LogReader& input,
                                            const vindex::IndexUpdate& update);

}  // namespace api::index

#endif  // API_INDEX_INPUT_TIE_H_
