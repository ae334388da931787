// ledgerctl's commands on a local ledger folder (the read commands, for
// every source, are in read_commands.h and verify_command.h). Each command
// reads its flags (already parsed by main), writes its normal output to `out`
// (text for people; the documented plain forms for proofs and notes; raw bytes
// for `leaf`) and progress to `err` (only on a terminal: terminal_progress.h),
// and returns a status whose message main prints as the one stderr line of a
// failure.
#ifndef TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_
#define TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ledgerctl {

struct CommandArgs {
  std::string dir;
  std::vector<std::string> positional;  // e.g. the files of `append`
  bool json = false;
  // Whether stderr is a terminal (main sets it): progress lines are drawn
  // only then (terminal_progress.h), never into a script's file or pipe.
  bool stderr_is_terminal = false;
};

// Each returns kInvalidArgument for a usage error (main exits 2), and any
// other non-OK status for a failure (exit 1).
absl::Status Init(const CommandArgs& args, std::ostream& out);
absl::Status Keygen(const CommandArgs& args, std::ostream& out);
absl::Status Enroll(const CommandArgs& args, std::ostream& out);
absl::Status Revoke(const CommandArgs& args, std::ostream& out);
absl::Status Append(const CommandArgs& args, std::ostream& out);
// Rebuilds a lost signed state from --checkpoint (see signed_heads.h).
absl::Status RestoreSignedStateCommand(const CommandArgs& args,
                                       std::ostream& out);
absl::Status Snapshot(const CommandArgs& args, std::ostream& out);
// Writes the latest checkpoint and its C2SP tlog-tiles into --out (see
// ledger/tiles/static_publisher.h); prints each path written.
absl::Status Publish(const CommandArgs& args, std::ostream& out);
// Offline log-key rotation (ledger/log_key_rotation.h); prints the new
// verifier key last.
absl::Status RotateLogKey(const CommandArgs& args, std::ostream& out);

// What AppendPayloads appended: per payload, its leaf index and integration
// time, and the checkpoint published after them (which includes them all).
struct LocalAppendResult {
  std::vector<uint64_t> leaf_indices;
  std::vector<int64_t> integration_times_micros;
  std::string checkpoint;  // signed note
};

// Signs each payload with the secret key in `key_path` (its next sequence
// from the ledger in args.dir) as `type` ("" = aifl.<role>.v1.Blob), appends
// them in one group and publishes a checkpoint. `names[i]` names payload i
// in errors. kPermissionDenied when the key is not enrolled; the ledger's
// error for a refused entry (earlier ones stay appended, and the message
// says how many).
absl::StatusOr<LocalAppendResult> AppendPayloads(
    const CommandArgs& args, const std::string& key_path, std::string type,
    const std::vector<std::string>& payloads,
    const std::vector<std::string>& names);

// `append`'s inputs: the payload files' bytes, in order. kInvalidArgument
// when --key or the files are missing; kNotFound for a file not read.
absl::StatusOr<std::vector<std::string>> ReadAppendInputs(
    const CommandArgs& args);

// `status` (the refusal of payload `i`, named `name`) with a message that
// names the payload and says how many before it were appended.
absl::Status RefusedPayload(const absl::Status& status, const std::string& name,
                            size_t i);

// Writes `note` to the --save file, if one was given. kUnavailable when it
// cannot be written.
absl::Status SaveIfAsked(const std::string& note);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_LOCAL_COMMANDS_H_
