#include "api/server/index_flags.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "api/index/index_host.h"
#include "api/server/witness_flags.h"
#include "common/status_macros.h"

ABSL_FLAG(std::string, index_dir, "",
          "host the per-model index: its output log (a ledger folder made by "
          "ledgerctl init, with a rules key enrolled); empty: no index");
ABSL_FLAG(std::string, index_store, "",
          "with --index_dir: the index's RocksDB folder (created when absent)");
ABSL_FLAG(std::string, index_key, "",
          "with --index_dir: the secret key file of the rules key enrolled in "
          "the output log");
ABSL_FLAG(std::string, index_witness_policy, "",
          "with --index_dir: tlog-policy file whose witnesses (with URLs) are "
          "asked to cosign the output log's checkpoints after each index "
          "update (served on --http_listen under /index/ and in "
          "GetModelEntries with their cosignatures); empty: --witness_policy's "
          "witnesses, which must then trust the output log's key too");

namespace api::server {

absl::Status IndexOptionsFromFlags(ServerOptions* options) {
  const std::string dir = absl::GetFlag(FLAGS_index_dir);
  const std::string store = absl::GetFlag(FLAGS_index_store);
  const std::string key = absl::GetFlag(FLAGS_index_key);
  const std::string policy = absl::GetFlag(FLAGS_index_witness_policy);
  if (dir.empty()) {
    if (!store.empty() || !key.empty() || !policy.empty()) {
      return absl::InvalidArgumentError(
          "--index_store, --index_key and --index_witness_policy need "
          "--index_dir");
    }
    return absl::OkStatus();
  }
  if (store.empty() || key.empty()) {
    return absl::InvalidArgumentError(
        "--index_dir needs --index_store and --index_key");
  }
  if (!policy.empty()) {
    ASSIGN_OR_RETURN(options->index_witness_policy,
                     ReadPolicyFlag("index_witness_policy", policy));
  }
  options->open_index = [dir, store, key](const ledger::Ledger& served)
      -> absl::StatusOr<std::unique_ptr<api::index::IndexHost>> {
    ASSIGN_OR_RETURN(api::index::OpenedOutputLog output,
                     api::index::OpenOutputLog(dir, key));
    return api::index::IndexHost::Open(served, std::move(output), store);
  };
  return absl::OkStatus();
}

}  // namespace api::server
