// ledgerctl's read commands (`verify` is in verify_command.h), each written
// once over api::client::LogReader and so the same, byte for byte, whatever the
// source (--dir, --server;
// --tiles in issue 16): every checkpoint, leaf and proof is verified before
// it is printed (log_reader.h). Flags are read here; the source is opened
// by OpenLog (log_source.h). Errors as in local_commands.h; what the source
// holds or sent that does not verify is kDataLoss.
#ifndef TOOLS_LEDGERCTL_READ_COMMANDS_H_
#define TOOLS_LEDGERCTL_READ_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// `checkpoint [--save FILE]`: the latest checkpoint note.
absl::Status Checkpoint(const CommandArgs& args, std::ostream& out);
// `leaf --index I`: the exact leaf bytes, proven in the latest checkpoint.
absl::Status Leaf(const CommandArgs& args, std::ostream& out);
// `prove --index I | --leaf_file F [--size N] [--json]`: by --index, the
// proof hashes on `out` and an "ok:" line on `err`; with --leaf_file (or
// --json) the "ok:" line (or JSON) on `out`. --size names a checkpoint.
absl::Status Prove(const CommandArgs& args, std::ostream& out,
                   std::ostream& err);
// `consistency --from N0 [--to N]`: the proof hashes between the
// checkpoints at N0 (0: the empty tree) and N (default: the latest).
absl::Status Consistency(const CommandArgs& args, std::ostream& out);
// `grew --since FILE`: verifies the saved note and that the latest
// checkpoint extends it (consistency proof); prints "ok: the log only grew
// ..." or JSON. kDataLoss when the saved note does not verify or the log
// did not only grow.
absl::Status Grew(const CommandArgs& args, std::ostream& out);
}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_READ_COMMANDS_H_
