// `ledgerctl verify`: one full audit for every source, over LogReader
// (api/client/log_audit.h: every leaf read and proven, the root recomputed
// and checked against the latest checkpoint, admission and signatures
// replayed). A ledger folder (--dir) first keeps its storage-level checks:
// ledger/audit.h's AuditStore (stored tree nodes, every stored checkpoint,
// the stored key registry, down to the first bad leaf even when the folder
// would not open) and the signed heads (signed_heads.h: the signed state
// and --checkpoint NOTE must not be ahead of the stored tree).
#ifndef TOOLS_LEDGERCTL_VERIFY_COMMAND_H_
#define TOOLS_LEDGERCTL_VERIFY_COMMAND_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// Prints "ok: N entries, M checkpoints verified; root R" (M: the stored
// checkpoints of a folder, 1 for another source: the one audited against),
// the signed-heads lines and, for a folder marked so, the simulated-clock
// line first; or with --json one object. Progress on `err` only when
// args.stderr_is_terminal and not --json, erased after each pass
// (terminal_progress.h), so a failure's stderr is main's one line.
// kDataLoss "audit failed: <problem>" when any check fails.
absl::Status Verify(const CommandArgs& args, std::ostream& out,
                    std::ostream& err);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_VERIFY_COMMAND_H_
