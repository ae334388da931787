// ledger_server's per-model index flags (--index_dir, --index_store,
// --index_key, --index_witness_policy; docs/operator-guide.md): the server
// hosts the index of its own log and answers Audit.GetModelEntries. Link only
// into the binary.
#ifndef API_SERVER_INDEX_FLAGS_H_
#define API_SERVER_INDEX_FLAGS_H_

#include "absl/status/status.h"
#include "api/server/ledger_server.h"

namespace api::server {

// Sets options->open_index (and index_witness_policy) when --index_dir is
// given (none otherwise). kInvalidArgument naming the flag when --index_dir
// comes without --index_store and --index_key, or they come without it, or
// the policy file is unreadable or malformed. The index is
// opened by LedgerServer::Start (errors then: Ledger::Open's, the key
// file's, OutputLog::Create's, IndexBuilder::Open's).
absl::Status IndexOptionsFromFlags(ServerOptions* options);

}  // namespace api::server

#endif  // API_SERVER_INDEX_FLAGS_H_
