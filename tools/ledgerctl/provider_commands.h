// ledgerctl's provider commands: `declare`, `notify` and `document` read one
// aifl.provider.v1 message in protobuf text format (docs/provider-guide.md,
// docs/examples/*.textproto), check the fields the rules engine cannot do
// without, sign it with --key and submit it, then print the receipt: the
// leaf index and integration time and, with --server, that the entry's
// inclusion proof verified against a signed checkpoint this client trusts.
// With --dir the ledger folder is appended to directly (like `append`).
// --save FILE writes the signed checkpoint that includes the entry, so that
// `ledgerctl grew --since FILE` later proves the entry is still in the log.
//
// `document` records a document by hash: --file DOC computes its SHA-256
// and size; --sha256 HEX gives the hash of a document kept elsewhere. Either
// fills the message's sha256 (a hash already in the file must match).
//
// Errors as in local_commands.h: kInvalidArgument for a file that does not
// parse or lacks a field (naming the file, line and field), the server's or
// ledger's code for a refused entry.
#ifndef TOOLS_LEDGERCTL_PROVIDER_COMMANDS_H_
#define TOOLS_LEDGERCTL_PROVIDER_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

namespace ledgerctl {

// aifl.provider.v1.ModelDeclaration: model_id and provider must be set.
absl::Status Declare(const CommandArgs& args, std::ostream& out);
// aifl.provider.v1.Notification (Art. 52(1)): model_id must be set.
absl::Status Notify(const CommandArgs& args, std::ostream& out);
// aifl.provider.v1.DocumentSubmission: model_id and kind must be set, and a
// 32-byte sha256 given (in the file, by --file or by --sha256).
absl::Status Document(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_PROVIDER_COMMANDS_H_
