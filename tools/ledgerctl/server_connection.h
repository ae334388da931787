// The --server side of ledgerctl: a verifying LedgerClient (which returns
// verified proofs: ProveLeaf, ProveConsistency) plus the raw stubs for the
// calls it does not wrap (models, findings, key events).
//
// Trust: the verifier key comes from --vkey; only with --trust_on_first_use
// is it taken from the server's Admin.GetStatus (then the first server
// reached is trusted, as ssh does with host keys). The last verified
// checkpoint is kept in --trusted_dir (default $HOME/.aifl-ledgerctl), so a
// later run detects a rollback or fork.
//
// Not thread-safe (one command, one thread).
#ifndef TOOLS_LEDGERCTL_SERVER_CONNECTION_H_
#define TOOLS_LEDGERCTL_SERVER_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/ledger_client.h"
#include "api/v1/ledger_service.grpc.pb.h"

namespace ledgerctl {

struct ServerConnection {
  std::unique_ptr<api::client::LedgerClient> client;
  std::unique_ptr<aifl::api::v1::Audit::Stub> audit;
  std::unique_ptr<aifl::api::v1::Admin::Stub> admin;
};

// Connects per the flags (--server, --vkey, --trust_on_first_use,
// --trusted_dir, --tls_ca, --tls_cert, --tls_key). kInvalidArgument when --vkey
// is missing without --trust_on_first_use, or for bad TLS flags (plaintext is
// used only for a loopback target without --ca/--cert).
absl::StatusOr<ServerConnection> Connect();

// Every model, following pages.
absl::StatusOr<std::vector<aifl::api::v1::ModelSummary>> ListAllModels(
    ServerConnection& conn);
absl::StatusOr<aifl::api::v1::ModelDetail> GetModel(ServerConnection& conn,
                                                    const std::string& id);
// Every finding matching `request` (its page fields are overwritten).
absl::StatusOr<std::vector<aifl::api::v1::RecordedFinding>> ListAllFindings(
    ServerConnection& conn, aifl::api::v1::ListFindingsRequest request);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_SERVER_CONNECTION_H_
