// Merging two IntervalReports of the same run and node into one, pure. Used
// by the spool near its size bound (instead of dropping records), always on
// unsigned payloads: a merged record is signed once, afterwards.
//
// Rules: start = min, end = max, interval_index = the first's (min); sums of
// allocated / active GPU-seconds, energy, FLOP bounds, missing samples and
// merged_intervals (0 counts as 1); an optional field (active seconds,
// energy) is present when either side has it and sums what is present (the
// missing side's polls are already in missing_samples); the FLOP method
// becomes the looser, assumptions are kept once each; precision_low = min,
// precision_high = max; shared_gpu / mig = OR; gpu_count = max.
#ifndef COLLECTOR_SPOOL_INTERVAL_MERGE_H_
#define COLLECTOR_SPOOL_INTERVAL_MERGE_H_

#include "absl/status/status.h"
#include "schema/collector.pb.h"

namespace collector {
namespace spool {

// Merges `b` into `a`. kInvalidArgument when run_id or node differ.
absl::Status MergeInterval(aifl::collector::v1::IntervalReport* a,
                           const aifl::collector::v1::IntervalReport& b);

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_INTERVAL_MERGE_H_
