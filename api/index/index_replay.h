// `verify-index`: recomputes the verifiable index from its input log and
// compares every root its output log published (index/FORMAT.md). Both logs
// are read through the one LogReader (a folder, a server or tiles), so every
// leaf is proven in its log's verified checkpoint before it is used; the
// map is recomputed with the same code the builder runs (vindex::ModelMap).
//
// Caught: an update whose map root is not the replay's (an entry left out
// of a model's list, a foreign one added, any other change), an input root
// that is not the input log's at that size (an index of another log or a
// fork), a MapFn version or input origin other than this binary's / this
// log's, sizes going backwards, and, with max_lag, a stale index.
//
// Not thread-safe (one command, one thread).
#ifndef API_INDEX_INDEX_REPLAY_H_
#define API_INDEX_INDEX_REPLAY_H_

#include <cstdint>
#include <limits>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "ledger/merkle/hash.h"

namespace api::index {

struct ReplayOptions {
  // Fail when the last update's input size is more than this many leaves
  // behind the input log's latest checkpoint. Default: no limit.
  uint64_t max_lag = std::numeric_limits<uint64_t>::max();
};

struct ReplayResult {
  uint64_t updates = 0;             // IndexUpdate leaves checked
  uint64_t output_size = 0;         // the output log's verified size
  uint64_t indexed_size = 0;        // the last update's input size
  uint64_t input_size = 0;          // the input log's verified size
  ledger::merkle::Hash map_root{};  // the last update's map root
  uint64_t key_count = 0;
};

// Replays `input` (the indexed log) against every update in `output` (the
// output log), as of each one's latest verified checkpoint. kDataLoss
// naming the first output leaf that does not match (and why);
// kFailedPrecondition for another MapFn version; the readers' errors.
absl::StatusOr<ReplayResult> ReplayIndex(client::LogReader& input,
                                         client::LogReader& output,
                                         const ReplayOptions& options);

}  // namespace api::index

#endif  // API_INDEX_INDEX_REPLAY_H_
