// One step of the index's updater: bring the verifiable index up to the
// input log's latest verified checkpoint and publish the result in the
// output log (index/README.md). The input is read through the one LogReader
// (a folder, a server or tiles): the checkpoint is verified by the reader
// and the builder checks the leaves make its root.
//
// Not thread-safe (one updater per index).
#ifndef API_INDEX_INDEX_FOLLOW_H_
#define API_INDEX_INDEX_FOLLOW_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "index/index_builder.h"
#include "index/output_log.h"

namespace api::index {

struct FollowStep {
  uint64_t indexed_leaves = 0;  // leaves added to the index by this step
  bool published = false;       // an IndexUpdate was appended
  vindex::IndexState state;     // the index after the step
};

// Reads the leaves of `input` from the builder's input size up to the
// input's latest verified checkpoint, applies them in one update (the
// builder commits only at verified checkpoints, so they are all held in
// memory: a long catch-up is one large batch), then publishes the state in
// `output` (nothing new is appended when it already says so, e.g. after a
// crash between the index's write and the append). kDataLoss when the
// leaves do not make the checkpoint's root; kOutOfRange, with nothing
// changed, when the input returns no leaf below its checkpoint's size (a
// source naming a size whose leaves it does not serve: an error, never a
// wait); the readers', the builder's and the output ledger's errors
// otherwise.
absl::StatusOr<FollowStep> FollowOnce(client::LogReader& input,
                                      vindex::IndexBuilder& builder,
                                      vindex::OutputLog& output);

// The same up to `at`, a verified checkpoint of `input` at or past the
// builder's input size (e.g. a published one short of the latest, to bound
// a long catch-up's memory).
absl::StatusOr<FollowStep> FollowTo(client::LogReader& input,
                                    const client::VerifiedCheckpoint& at,
                                    vindex::IndexBuilder& builder,
                                    vindex::OutputLog& output);

// The builder's input reader (BuilderOptions::input) over `input`: the
// leaves it serves at its latest verified checkpoint (fetched once, at the
// first call). `input` must outlive every call.
vindex::InputLeafReader InputLeavesOf(client::LogReader& input);

}  // namespace api::index

#endif  // API_INDEX_INDEX_FOLLOW_H_
