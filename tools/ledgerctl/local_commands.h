// ledgerctl's commands on a local ledger folder. Each command reads its flags
// (already parsed by main), writes its normal output to `out` (text for
// people; the documented plain forms for proofs and notes; raw bytes for
// `leaf`) and progress to `err`, and returns a status whose message main
// prints as the one stderr line of a failure.
#ifndef TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_
#define TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace ledgerctl {

struct CommandArgs {
  std::string dir;
  std::vector<std::string> positional;  // e.g. the files of `append`
  bool json = false;
};

// Each returns kInvalidArgument for a usage error (main exits 2), and any
// other non-OK status for a failure (exit 1).
absl::Status Init(const CommandArgs& args, std::ostream& out);
absl::Status Keygen(const CommandArgs& args, std::ostream& out);
absl::Status Enroll(const CommandArgs& args, std::ostream& out);
absl::Status Revoke(const CommandArgs& args, std::ostream& out);
absl::Status Append(const CommandArgs& args, std::ostream& out);
absl::Status Checkpoint(const CommandArgs& args, std::ostream& out);
absl::Status Leaf(const CommandArgs& args, std::ostream& out);
absl::Status Prove(const CommandArgs& args, std::ostream& out);
absl::Status Consistency(const CommandArgs& args, std::ostream& out);
absl::Status Verify(const CommandArgs& args, std::ostream& out,
                    std::ostream& err);
absl::Status Keys(const CommandArgs& args, std::ostream& out);
// Rebuilds a lost signed state from --checkpoint (see signed_heads.h).
absl::Status RestoreSignedStateCommand(const CommandArgs& args,
                                       std::ostream& out);
absl::Status Snapshot(const CommandArgs& args, std::ostream& out);
// Offline log-key rotation (ledger/log_key_rotation.h); prints the new
// verifier key last.
absl::Status RotateLogKey(const CommandArgs& args, std::ostream& out);

// Writes `note` to the --save file, if one was given. kUnavailable when it
// cannot be written.
absl::Status SaveIfAsked(const std::string& note);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_
