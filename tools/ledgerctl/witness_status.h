// `ledgerctl witness-status --server S`: what each witness of the server's
// --witness_policy last cosigned and how far behind it is (Admin.GetStatus,
// WitnessStatus), and the same for the witnesses of its index's output log
// (--index_dir with --index_witness_policy or --witness_policy;
// IndexLogStatus), as text or --json.
#ifndef TOOLS_LEDGERCTL_WITNESS_STATUS_H_
#define TOOLS_LEDGERCTL_WITNESS_STATUS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/v1/ledger_service.pb.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// Connects (server_connection.h), reads the status, prints it.
// kFailedPrecondition when neither the ledger nor the index's output log has
// witnesses.
absl::Status WitnessStatusCommand(const CommandArgs& args, std::ostream& out);

// The printout of `status` at `now`. Text: a header line (checkpoint size,
// quorum, the newest size the quorum cosigned), then one line per witness:
//   NAME  cosigned SIZE  behind N  last success AGO|never  [FAILING: ERROR]
// JSON: one object {"checkpoint_size", "quorum", "quorum_cosigned_size",
// "witnesses": [{"name", "url", "cosigned_size", "cosigned_size_known",
// "behind", "last_success_unix", "failing", "last_error",
// "last_error_unix"}]}. A log without witnesses prints "checkpoint SIZE  no
// witnesses" as its text. With index witnesses, text goes on with
//   index output log ORIGIN: checkpoint ...   (then its witnesses' lines)
// and JSON has "index_log": {the same keys for the output log, "origin"}.
std::string FormatWitnessStatus(const aifl::api::v1::ServerStatus& status,
                                bool json, absl::Time now);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_WITNESS_STATUS_H_
