// `ledgerctl index-update` and `ledgerctl verify-index`: the verifiable
// per-model index (index/README.md) from the command line. The input log is
// the one the usual flags name (--dir, --server or --tiles, through
// log_source.h); the index's output log is a second ledger:
//   index-update  --index_dir O --index_key K --index_store S
//                 (O a ledger folder made by `init` with its own origin, K a
//                 rules key enrolled in it, S the index's RocksDB folder)
//   verify-index  --index_dir O | --index_server H:P | --index_tiles URL
//                 [--index_vkey V] [--index_max_lag N]
#ifndef TOOLS_LEDGERCTL_INDEX_COMMANDS_H_
#define TOOLS_LEDGERCTL_INDEX_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/client/open_log_reader.h"
#include "tools/ledgerctl/local_commands.h"

ABSL_DECLARE_FLAG(std::string, index_dir);
ABSL_DECLARE_FLAG(std::string, index_store);
ABSL_DECLARE_FLAG(std::string, index_vkey);
ABSL_DECLARE_FLAG(int64_t, index_max_lag);

namespace ledgerctl {

// The output log's source: --index_dir, --index_server or --index_tiles
// (with --index_vkey; TLS and trust flags as for the input).
// kInvalidArgument when none is given.
absl::StatusOr<api::client::LogSourceOptions> IndexLogSourceFromFlags(
    const CommandArgs& args);

// Brings the index up to the input log's latest verified checkpoint and
// appends the update to the output log. Prints "indexed N leaves; input
// size S; map root R over K models; output leaf appended|unchanged" (or
// one JSON object with --json).
absl::Status IndexUpdate(const CommandArgs& args, std::ostream& out);

// Recomputes the index from the input log and compares every root the
// output log published (api/index/index_replay.h). Prints "ok: U updates
// replayed; index as of input size N (input at M); map root R over K
// models" (or JSON); kDataLoss "verify-index failed: …" on any mismatch.
absl::Status VerifyIndex(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_INDEX_COMMANDS_H_
