// The AI Office monitor as a witness (docs/ai-office-monitor.md, "The
// monitor's cosignature"): the C2SP tlog-witness API of witness/ (the same
// Witness, store and HTTP server as aifl_witness) with one extra condition,
// this Vouch: a checkpoint is cosigned only when the monitor fully verified
// its tree — it accepted that very checkpoint (same size and root) and
// verified and mirrored every entry up to its size. Its cosignature thus
// also states "every entry up to this size was verified" (tiles, admission,
// envelope signatures) and, for an index's output log, "every index update
// up to this size replays" (its follower mirrors nothing else:
// index_check.h), which is why the monitor signs with a key of its own,
// never a plain witness's.
#ifndef OFFICE_MONITOR_WITNESS_H_
#define OFFICE_MONITOR_WITNESS_H_

#include "office/mirror.h"
#include "witness/witness.h"

namespace office {

// kFailedPrecondition "not verified by the monitor yet ..." unless `mirror`
// holds a fully verified checkpoint of that origin, size and root, and the
// log was not stopped (an incident ends the monitor's cosigning for it).
// `mirror` is not owned and must outlive the result.
witness::Witness::Vouch VerifiedUpToSize(const Mirror* mirror);

// The log keys the leaves the monitor verified announced (FollowState's
// log_keys), as note verifiers of the origin: after a log-key rotation the
// monitor followed, the log signs with a key its configured vkey is not,
// and the monitor cosigns those checkpoints too. Safe because
// VerifiedUpToSize still requires the very size and root the follower
// verified, whose note the follower checked against the key the leaves
// announce for that size. Unreadable state: no extra key. `mirror` is not
// owned and must outlive the result.
witness::Witness::MoreLogKeys AnnouncedLogKeys(const Mirror* mirror);

}  // namespace office

#endif  // OFFICE_MONITOR_WITNESS_H_
