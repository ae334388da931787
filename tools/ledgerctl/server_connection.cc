#include "tools/ledgerctl/server_connection.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/client/channel.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "tools/ledgerctl/flags.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;
using api::client::VerifiedCheckpoint;

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
}

std::string DefaultTrustedDir() {
  const char* home = std::getenv("HOME");
  return absl::StrCat(home != nullptr ? home : ".", "/.aifl-ledgerctl");
}

// The verifier key from the server itself (trust on first use).
absl::StatusOr<std::string> FetchVerifierKey(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto admin = v1::Admin::NewStub(channel);
  v1::ServerStatus status;
  grpc::ClientContext context;
  SetDeadline(context);
  RETURN_IF_ERROR(api::client::FromGrpcStatus(
      "Admin.GetStatus",
      admin->GetStatus(&context, v1::GetStatusRequest(), &status)));
  if (status.verifier_key().empty()) {
    return absl::FailedPreconditionError(
        "the server reports no verifier key; pass --vkey");
  }
  return status.verifier_key();
}

}  // namespace

absl::StatusOr<ServerConnection> Connect() {
  api::client::ChannelOptions channel_options;
  channel_options.target = absl::GetFlag(FLAGS_server);
  channel_options.ca_file = absl::GetFlag(FLAGS_tls_ca);
  channel_options.cert_file = absl::GetFlag(FLAGS_tls_cert);
  channel_options.key_file = absl::GetFlag(FLAGS_tls_key);
  // Plaintext only to loopback without TLS flags; MakeChannel refuses
  // plaintext to anything else.
  channel_options.insecure =
      api::client::IsLoopbackTarget(channel_options.target) &&
      channel_options.ca_file.empty() && channel_options.cert_file.empty();
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                   api::client::MakeChannel(channel_options));
  std::string vkey = absl::GetFlag(FLAGS_vkey);
  if (vkey.empty()) {
    if (!absl::GetFlag(FLAGS_trust_on_first_use)) {
      return absl::InvalidArgumentError(
          "--vkey is required with --server (or --trust_on_first_use to take "
          "it from the server)");
    }
    ASSIGN_OR_RETURN(vkey, FetchVerifierKey(channel));
  }
  api::client::LedgerClientOptions options;
  options.trusted_store_dir = absl::GetFlag(FLAGS_trusted_dir);
  if (options.trusted_store_dir.empty())
    options.trusted_store_dir = DefaultTrustedDir();
  ServerConnection conn;
  ASSIGN_OR_RETURN(conn.client, api::client::LedgerClient::Create(
                                    channel, vkey, std::move(options)));
  conn.audit = v1::Audit::NewStub(channel);
  conn.admin = v1::Admin::NewStub(channel);
  return conn;
}

absl::StatusOr<VerifiedCheckpoint> CheckpointOfSize(ServerConnection& conn,
                                                    uint64_t size) {
  if (size == 0) return conn.client->LatestCheckpoint();
  return conn.client->CheckpointAt(size);
}

absl::StatusOr<ProvenLeaf> ProveLeaf(ServerConnection& conn,
                                     const VerifiedCheckpoint& cp,
                                     uint64_t index) {
  const uint64_t size = cp.fields.size;
  if (index >= size) {
    return absl::OutOfRangeError(absl::StrCat(
        "leaf ", index, " is beyond the checkpoint's size ", size));
  }
  ProvenLeaf out;
  out.index = index;
  ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                   conn.client->GetEntries(index, 1));
  if (leaves.size() != 1) {
    return absl::DataLossError(
        absl::StrCat("server returned no leaf at index ", index));
  }
  out.leaf = std::move(leaves[0]);
  v1::InclusionProofRequest request;
  request.set_leaf_index(index);
  request.set_tree_size(size);
  v1::InclusionProof response;
  grpc::ClientContext context;
  SetDeadline(context);
  RETURN_IF_ERROR(api::client::FromGrpcStatus(
      "Audit.GetInclusionProof",
      conn.audit->GetInclusionProof(&context, request, &response)));
  if (response.leaf_index() != index || response.tree_size() != size) {
    return absl::DataLossError(
        absl::StrCat("asked for the inclusion proof of leaf ", index,
                     " at size ", size, ", got leaf ", response.leaf_index(),
                     " at size ", response.tree_size()));
  }
  ASSIGN_OR_RETURN(out.proof,
                   api::client::ProofHashes(std::vector<std::string>(
                       response.hashes().begin(), response.hashes().end())));
  RETURN_IF_ERROR(conn.client->verifier().VerifyInclusion(
      index, ledger::merkle::HashLeaf(out.leaf), out.proof, cp.fields));
  return out;
}

absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
    ServerConnection& conn, const ledger::CheckpointFields& older,
    const ledger::CheckpointFields& newer) {
  if (older.size > newer.size) {
    return absl::DataLossError(absl::StrCat("the log shrank: size ", older.size,
                                            " earlier, ", newer.size, " now"));
  }
  std::vector<ledger::merkle::Hash> proof;
  if (older.size != 0 && older.size < newer.size) {
    v1::ConsistencyProofRequest request;
    request.set_from_size(older.size);
    request.set_to_size(newer.size);
    v1::ConsistencyProof response;
    grpc::ClientContext context;
    SetDeadline(context);
    RETURN_IF_ERROR(api::client::FromGrpcStatus(
        "Audit.GetConsistencyProof",
        conn.audit->GetConsistencyProof(&context, request, &response)));
    if (response.from_size() != older.size ||
        response.to_size() != newer.size) {
      return absl::DataLossError(
          absl::StrCat("asked for the consistency proof from size ", older.size,
                       " to ", newer.size, ", got one from ",
                       response.from_size(), " to ", response.to_size()));
    }
    ASSIGN_OR_RETURN(proof,
                     api::client::ProofHashes(std::vector<std::string>(
                         response.hashes().begin(), response.hashes().end())));
  }
  RETURN_IF_ERROR(
      conn.client->verifier().VerifyConsistency(older, newer, proof));
  return proof;
}

absl::StatusOr<std::vector<v1::ModelSummary>> ListAllModels(
    ServerConnection& conn) {
  std::vector<v1::ModelSummary> out;
  v1::ListModelsRequest request;
  request.set_page_size(1000);
  do {
    v1::ListModelsResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    RETURN_IF_ERROR(api::client::FromGrpcStatus(
        "Audit.ListModels",
        conn.audit->ListModels(&context, request, &response)));
    for (auto& m : *response.mutable_models()) out.push_back(std::move(m));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<v1::ModelDetail> GetModel(ServerConnection& conn,
                                         const std::string& id) {
  v1::GetModelRequest request;
  request.set_model_id(id);
  v1::ModelDetail response;
  grpc::ClientContext context;
  SetDeadline(context);
  RETURN_IF_ERROR(api::client::FromGrpcStatus(
      "Audit.GetModel", conn.audit->GetModel(&context, request, &response)));
  return response;
}

absl::StatusOr<std::vector<v1::RecordedFinding>> ListAllFindings(
    ServerConnection& conn, v1::ListFindingsRequest request) {
  std::vector<v1::RecordedFinding> out;
  request.set_page_size(1000);
  request.clear_page_token();
  do {
    ASSIGN_OR_RETURN(v1::ListFindingsResponse response,
                     conn.client->ListFindings(request));
    for (auto& f : *response.mutable_findings()) out.push_back(std::move(f));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

}  // namespace ledgerctl
