// `ledgerctl statement` and `ledgerctl verify-statement` (issue 23): the
// provider's compute and energy statement (statement.h) built from a ledger
// server with provider or office credentials, and verified offline.
#ifndef TOOLS_LEDGERCTL_STATEMENT_COMMAND_H_
#define TOOLS_LEDGERCTL_STATEMENT_COMMAND_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// --server S --model M [--out FILE] (default statement-M.txt): writes the
// statement of M proven against the server's latest checkpoint; prints one
// line, or with --json the form (CoP field names) and the file's name.
// With --answer F (index-answer's file for M, as of the same checkpoint)
// and the output log (--index_dir O | --index_server H | --index_tiles URL,
// --index_vkey V): a version 2 statement carrying the index's answer. With
// --totals_answer F (`index-answer --totals`'s file) and the output log: a
// version 3 statement (statement_totals.h) whose measured figures are the
// index's proven totals and whose leaves are M's declarations.
absl::Status StatementCommand(const CommandArgs& args, std::ostream& out);

// FILE --vkey V [--index_vkey V2]: verifies the statement offline (a
// version 2 or 3 one also against the index output log's key V2); prints
// "ok: …" and the form (--json: the form as JSON). kDataLoss naming what
// does not verify.
absl::Status VerifyStatementCommand(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_STATEMENT_COMMAND_H_
