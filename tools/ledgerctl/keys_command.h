// `ledgerctl keys`: the signing keys and the log keys of a log, written once
// over api::client::LogReader, so --dir, --server and --tiles print the same
// bytes. The keys are what every source can prove: the key registry and the
// log-key history folded from the leaves of the latest checkpoint (every
// leaf read, proven and replayed through the admission rule by AuditLog), so
// state not yet covered by a checkpoint appears once one covers it.
//
// `keys --key K --server S` is another question: the live state of the
// caller's own key (Ingest.GetOwnKeyState: its next sequence counts entries
// no checkpoint covers yet), for a submitter who may not read the log.
#ifndef TOOLS_LEDGERCTL_KEYS_COMMAND_H_
#define TOOLS_LEDGERCTL_KEYS_COMMAND_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// `keys [--json]` over the source the flags name; with --key K (needs
// --server) only the caller's own key K. A ledger folder marked as written
// under a simulated clock gets the SimulatedClockLine first (text only: an
// unsigned storage mark, as in `verify`). kDataLoss when the leaves do not
// audit; kPermissionDenied (with a hint at --key) when the caller may not
// read the log.
absl::Status Keys(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_KEYS_COMMAND_H_
