// The monitor's extra statement for an index's output log (issue 19;
// docs/ai-office-monitor.md, "An index's output log"): on top of
// VerifiedUpToSize (every entry of the output log up to the size was
// verified), a checkpoint of an output log is cosigned only when every
// IndexUpdate up to its size was replayed over the monitor's mirror of the
// input log and matches — api::index::ReplayIndex, the code of `ledgerctl
// verify-index`, reading both logs through MirrorLogReader.
//
// The largest size that passed is kept per output log (in memory): a
// smaller one is a prefix of it and passes without a replay; a larger one
// replays the map from the input log's first entry (the replay has no
// resumable state; its cost is linear in the input log).
#ifndef OFFICE_INDEX_VOUCH_H_
#define OFFICE_INDEX_VOUCH_H_

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "office/mirror.h"
#include "witness/witness.h"

namespace office {

// Output log origin → origin of the input log it indexes.
using IndexedLogs = absl::flat_hash_map<std::string, std::string>;

// Called with the output origin, the size refused and why, when the replay
// did not match (kDataLoss from ReplayIndex: an omitted or foreign entry, a
// wrong map or input root, another MapFn version or input log, or an input
// size beyond what the mirror verified yet).
using IndexMismatch = std::function<void(
    absl::string_view origin, uint64_t size, const absl::Status& why)>;

// `verified` first (normally VerifiedUpToSize(mirror)); then, for an origin
// in `indexes`, the replay. A mismatch refuses with kFailedPrecondition
// "index replay of O at size N over I: ..." (the witness answers 503 and
// cosigns nothing) after
// calling `on_mismatch` (may be empty). Other origins: `verified` alone.
// `mirror` is not owned and must outlive the result. Thread-safe.
witness::Witness::Vouch IndexReplayed(const Mirror* mirror, IndexedLogs indexes,
                                      witness::Witness::Vouch verified,
                                      IndexMismatch on_mismatch);

}  // namespace office

#endif  // OFFICE_INDEX_VOUCH_H_
