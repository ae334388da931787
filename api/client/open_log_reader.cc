#include "api/client/open_log_reader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/channel.h"
#include "api/client/curl_http_getter.h"
#include "api/client/folder_log_reader.h"
#include "api/client/grpc_log_reader.h"
#include "api/client/rpc_status.h"
#include "api/client/tiles_log_reader.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"

namespace api::client {
namespace {

namespace v1 = ::aifl::api::v1;

// The verifier key from the server itself (trust on first use).
absl::StatusOr<std::string> FetchVerifierKey(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto admin = v1::Admin::NewStub(channel);
  v1::ServerStatus status;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  RETURN_IF_ERROR(FromGrpcStatus(
      "Admin.GetStatus",
      admin->GetStatus(&context, v1::GetStatusRequest(), &status)));
  if (status.verifier_key().empty()) {
    return absl::FailedPreconditionError(
        "the server reports no verifier key; pass --vkey");
  }
  return status.verifier_key();
}

// The policy `options` names (parsed, or read from policy_file); null when
// none.
absl::StatusOr<std::shared_ptr<const WitnessPolicy>> PolicyOf(
    const LogSourceOptions& options) {
  if (options.witness_policy != nullptr || options.policy_file.empty()) {
    return options.witness_policy;
  }
  return LoadPolicyFile(options.policy_file);
}

absl::StatusOr<OpenedLog> OpenServer(const LogSourceOptions& options) {
  ASSIGN_OR_RETURN(ConnectedClient connected, ConnectLedgerClient(options));
  LedgerClient* client = connected.client.get();
  OpenedLog opened;
  opened.verifier_key = client->verifier().verifier_key();
  opened.reader = std::make_unique<GrpcLogReader>(std::move(connected.client),
                                                  options.server);
  opened.verify_note =
      [client](absl::string_view note) -> absl::StatusOr<VerifiedCheckpoint> {
    absl::StatusOr<VerifiedCheckpoint> saved =
        client->verifier().VerifyCheckpoint(note);
    if (IsCheckpointSignatureError(saved.status())) {
      // Signed before a log-key rotation: by the configured key.
      saved = client->configured_verifier().VerifyCheckpoint(note);
    }
    return saved;
  };
  opened.find_leaf = [client](const ledger::merkle::Hash& hash,
                              const VerifiedCheckpoint& at) {
    return client->FindLeaf(hash, at);
  };
  return opened;
}

absl::StatusOr<OpenedLog> OpenFolder(const LogSourceOptions& options) {
  std::unique_ptr<FolderLogReader> folder;
  if (options.open_ledger != nullptr) {
    ASSIGN_OR_RETURN(folder,
                     FolderLogReader::Wrap(*options.open_ledger, options.dir));
  } else {
    ASSIGN_OR_RETURN(
        folder, FolderLogReader::Open(options.dir, options.signed_state_dir));
  }
  const ledger::Ledger* ledger = &folder->ledger();
  OpenedLog opened;
  opened.verifier_key = ledger->VerifierKey();
  opened.reader = std::move(folder);
  opened.verify_note =
      [ledger](absl::string_view note) -> absl::StatusOr<VerifiedCheckpoint> {
    absl::StatusOr<ledger::CheckpointFields> fields =
        ledger->VerifyCheckpointNote(note);
    if (!fields.ok()) return absl::DataLossError(fields.status().message());
    return VerifiedCheckpoint{*std::move(fields), std::string(note)};
  };
  opened.find_leaf =
      [ledger](const ledger::merkle::Hash& hash,
               const VerifiedCheckpoint& at) -> absl::StatusOr<uint64_t> {
    ASSIGN_OR_RETURN(uint64_t index, ledger->FindLeafByHash(hash));
    if (index >= at.fields.size) {
      return absl::NotFoundError(absl::StrCat("the leaf is at index ", index,
                                              ", beyond the checkpoint's size ",
                                              at.fields.size));
    }
    return index;
  };
  return opened;
}

absl::StatusOr<OpenedLog> OpenTiles(const LogSourceOptions& options) {
  if (options.vkey.empty()) {
    return absl::InvalidArgumentError(
        "--vkey is required with --tiles (tiles carry no key to trust)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<CurlHttpGetter> http,
                   CurlHttpGetter::Create());
  TilesLogReaderOptions tiles_options;
  tiles_options.trusted_store_dir = options.trusted_dir;
  ASSIGN_OR_RETURN(tiles_options.witness_policy, PolicyOf(options));
  ASSIGN_OR_RETURN(std::unique_ptr<TilesLogReader> tiles,
                   TilesLogReader::Create(options.tiles_url, options.vkey,
                                          std::move(http), tiles_options));
  OpenedLog opened;
  opened.verifier_key = options.vkey;
  const TilesLogReader* reader = tiles.get();
  opened.verify_note = [reader](absl::string_view note) {
    return reader->VerifyNote(note);
  };
  opened.reader = std::move(tiles);  // find_leaf: tiles have no hash index
  return opened;
}

}  // namespace

absl::StatusOr<ConnectedClient> ConnectLedgerClient(
    const LogSourceOptions& options) {
  ChannelOptions channel_options;
  channel_options.target = options.server;
  channel_options.ca_file = options.tls_ca;
  channel_options.cert_file = options.tls_cert;
  channel_options.key_file = options.tls_key;
  // Plaintext only to loopback without TLS files; MakeChannel refuses
  // plaintext to anything else.
  channel_options.insecure = IsLoopbackTarget(channel_options.target) &&
                             channel_options.ca_file.empty() &&
                             channel_options.cert_file.empty();
  ConnectedClient out;
  ASSIGN_OR_RETURN(out.channel, MakeChannel(channel_options));
  std::string vkey = options.vkey;
  if (vkey.empty()) {
    if (!options.trust_on_first_use) {
      return absl::InvalidArgumentError(
          "--vkey is required with --server (or --trust_on_first_use to take "
          "it from the server)");
    }
    ASSIGN_OR_RETURN(vkey, FetchVerifierKey(out.channel));
  }
  LedgerClientOptions client_options;
  client_options.trusted_store_dir = options.trusted_dir;
  ASSIGN_OR_RETURN(client_options.witness_policy, PolicyOf(options));
  ASSIGN_OR_RETURN(out.client, LedgerClient::Create(out.channel, vkey,
                                                    std::move(client_options)));
  return out;
}

bool IsFolderSource(const LogSourceOptions& options) {
  return options.server.empty() && options.tiles_url.empty() &&
         (!options.dir.empty() || options.open_ledger != nullptr);
}

absl::StatusOr<OpenedLog> OpenLogReader(const LogSourceOptions& options) {
  if (!options.server.empty()) return OpenServer(options);
  if (!options.tiles_url.empty()) return OpenTiles(options);
  if (IsFolderSource(options)) {
    if (!options.policy_file.empty() || options.witness_policy != nullptr) {
      return absl::InvalidArgumentError(
          "--policy applies to --server and --tiles: a ledger folder is the "
          "operator's own log, read from its own disk, and carries no "
          "cosignatures");
    }
    return OpenFolder(options);
  }
  return absl::InvalidArgumentError("--dir, --server or --tiles is required");
}

}  // namespace api::client
