// Where ledgerctl reads a log from, per its flags: --server (gRPC, verified
// with --vkey or --trust_on_first_use, trust kept in --trusted_dir), else
// --dir (a ledger folder, read-only). The choice itself is
// api::client::OpenLogReader's; this only maps flags onto it (issue 16's
// --tiles/--vkey source is one more field set here).
#ifndef TOOLS_LEDGERCTL_LOG_SOURCE_H_
#define TOOLS_LEDGERCTL_LOG_SOURCE_H_

#include "absl/status/statusor.h"
#include "api/client/open_log_reader.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// The source the flags name (--trusted_dir defaults to
// $HOME/.aifl-ledgerctl).
api::client::LogSourceOptions LogSourceFromFlags(const CommandArgs& args);

// OpenLogReader(LogSourceFromFlags(args)).
absl::StatusOr<api::client::OpenedLog> OpenLog(const CommandArgs& args);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_LOG_SOURCE_H_
