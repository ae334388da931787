// ledgerctl's key and submit commands against a running ledger_server
// (--server). Each prints exactly what its local twin (local_commands.h)
// prints, after verifying what the server sent. (The read commands are
// written once for every source: read_commands.h.) Errors as in
// local_commands.h; what the server did wrong is kDataLoss, its refusals keep
// their gRPC code.
#ifndef TOOLS_LEDGERCTL_REMOTE_COMMANDS_H_
#define TOOLS_LEDGERCTL_REMOTE_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/client/ledger_client.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {

// `keys --key K`: the caller's own key K as the server holds it now
// (Ingest.GetOwnKeyState: kPermissionDenied when it is not the caller's
// enrolled key), in the `keys` format. Every key: keys_command.h.
absl::Status OwnKeyState(const CommandArgs& args, std::ostream& out);
// Signs with --key (its next sequence from Ingest.GetOwnKeyState), submits
// through Ingest.Submit and waits until a verified checkpoint includes every
// entry; prints the leaf indices.
absl::Status RemoteAppend(const CommandArgs& args, std::ostream& out);

// Signs each payload with the secret key in `key_path` (its next sequence
// from Ingest.GetOwnKeyState) as `type` ("" = aifl.<role>.v1.Blob) and
// submits them in one Ingest.Submit; returns their durable receipts, in
// order. `names[i]` names payload i in errors. kPermissionDenied when the
// key is not the caller's enrolled key or is revoked; a refused entry's
// error (earlier ones stay appended, and the message says how many).
absl::StatusOr<std::vector<api::client::SubmittedEntry>> SubmitPayloads(
    ServerConnection& conn, const std::string& key_path, std::string type,
    const std::vector<std::string>& payloads,
    const std::vector<std::string>& names);
// Signs the key event with --admin_key (default <dir>/keys/admin.key when
// --dir is given) and submits it through Admin.SubmitKeyEvent.
absl::Status RemoteEnroll(const CommandArgs& args, std::ostream& out);
absl::Status RemoteRevoke(const CommandArgs& args, std::ostream& out);
}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_REMOTE_COMMANDS_H_
