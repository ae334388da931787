// ledgerctl's auditor workflows against a running ledger_server (--server):
// models and their compute, one model's history with its evidence proven,
// compute per scheduler account, and findings (listed or followed). Text for
// people; --json for programs. Errors as in remote_commands.h.
#ifndef TOOLS_LEDGERCTL_AUDITOR_COMMANDS_H_
#define TOOLS_LEDGERCTL_AUDITOR_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// `models`: one line per model: id, provider, training and cumulative
// compute (two significant figures), energy, runs, status.
absl::Status Models(const CommandArgs& args, std::ostream& out);
// `model --model M`: facts, compute per account and run label, findings,
// and every evidence leaf proven in the latest verified checkpoint.
absl::Status Model(const CommandArgs& args, std::ostream& out);
// `accounts [--model M]`: compute per scheduler account over all models (or
// one).
absl::Status Accounts(const CommandArgs& args, std::ostream& out);
// `findings [--unit safety|compliance] [--model M] [--follow]`: recorded
// findings; --follow keeps streaming (Audit.WatchFindings) until the server
// ends the stream. --json: one JSON object per line.
absl::Status Findings(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_AUDITOR_COMMANDS_H_
