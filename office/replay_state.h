// The admission replay's state (ledger/leaf_replay.h) as the monitor stores
// it, so a restarted monitor resumes after the last verified leaf instead
// of replaying the log from leaf 0. What LeafReplay needs to resume: the key
// registry (every KeyInfo: role, enrolment and revocation leaves, next
// sequence; and the log-key history), the compact range of the leaves so far
// and the last integration time. The registry's keys are stored one record
// per key (only changed keys are written per step, ledger::EncodeKeyInfo);
// the rest goes in FollowState (office/proto/mirror.proto).
#ifndef OFFICE_REPLAY_STATE_H_
#define OFFICE_REPLAY_STATE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/key_registry.h"
#include "ledger/leaf_replay.h"
#include "office/proto/mirror.pb.h"

namespace office {

// Sets state's frontier, last time and log keys from `replay`; its
// verified_size is replay.leaves_done().
void SaveReplay(const ledger::LeafReplay& replay,
                aifl::office::monitor::v1::FollowState* state);

// The replay resumed after state.verified_size() leaves, with `keys` (every
// stored registry key). kDataLoss when the stored state is malformed.
absl::StatusOr<std::unique_ptr<ledger::LeafReplay>> ResumeReplay(
    std::string origin, int threads,
    const aifl::office::monitor::v1::FollowState& state,
    std::vector<ledger::KeyInfo> keys);

}  // namespace office

#endif  // OFFICE_REPLAY_STATE_H_
