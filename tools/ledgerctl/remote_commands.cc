#include "tools/ledgerctl/remote_commands.h"

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/client/rpc_status.h"
#include "common/json.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/roles.h"
#include "tools/ledgerctl/file_io.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/key_events.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;
using api::client::VerifiedCheckpoint;

std::string KeyIdBytes(const ledger::crypto::KeyId& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()),
                     id.bytes().size());
}

// The server's record of the caller's own key (Ingest.GetOwnKeyState:
// every submitting role may ask, for its own keys). `path` names the key.
absl::StatusOr<v1::KeyRecord> OwnKey(ServerConnection& conn,
                                     const ledger::crypto::SigningKey& key,
                                     const std::string& path) {
  absl::StatusOr<v1::KeyRecord> found = conn.client->OwnKeyState(
      KeyIdBytes(ledger::crypto::ComputeKeyId(key.public_key())));
  if (absl::IsNotFound(found.status())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the key in ", path,
        " is not enrolled in this ledger, or not bound to this client's TLS "
        "identity and role"));
  }
  return found;
}

// A signer for the key in `path`, at the next sequence the server reports.
absl::StatusOr<std::unique_ptr<ledger::EntrySigner>> SignerFor(
    ServerConnection& conn, const std::string& path, v1::KeyRecord* record) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(path));
  ASSIGN_OR_RETURN(*record, OwnKey(conn, *key, path));
  if (record->revoked()) {
    return absl::PermissionDeniedError(absl::StrCat("the key in ", path,
                                                    " was revoked at leaf ",
                                                    record->revoked_at_leaf()));
  }
  return std::make_unique<ledger::EntrySigner>(std::move(key),
                                               conn.client->verifier().origin(),
                                               record->next_sequence());
}

absl::Status SubmitKeyEvent(const CommandArgs& args,
                            const aifl::ledger::v1::KeyEvent& event,
                            std::ostream& out) {
  std::string admin_path = absl::GetFlag(FLAGS_admin_key);
  if (admin_path.empty() && !args.dir.empty())
    admin_path = ledger::DefaultAdminKeyPath(args.dir);
  if (admin_path.empty())
    return absl::InvalidArgumentError("--admin_key is required with --server");
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  v1::KeyRecord record;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::EntrySigner> admin,
                   SignerFor(conn, admin_path, &record));
  if (record.role() != "admin") {
    return absl::PermissionDeniedError(absl::StrCat(
        admin_path, " is not an enrolled admin key of this ledger"));
  }
  v1::SubmitKeyEventRequest request;
  ASSIGN_OR_RETURN(
      *request.mutable_envelope(),
      admin->SignNext(ledger::kKeyEventType, event.SerializeAsString()));
  v1::EntryResult result;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  RETURN_IF_ERROR(api::client::FromGrpcStatus(
      "Admin.SubmitKeyEvent",
      conn.admin->SubmitKeyEvent(&context, request, &result)));
  if (result.has_error()) return api::client::FromEntryError(result.error());
  out << result.receipt().leaf_index() << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status OwnKeyState(const CommandArgs& args, std::ostream& out) {
  const std::string own_key = absl::GetFlag(FLAGS_key);
  if (own_key.empty()) return absl::InvalidArgumentError("--key is required");
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(own_key));
  ASSIGN_OR_RETURN(v1::KeyRecord k, OwnKey(conn, *key, own_key));
  KeyLine line{absl::BytesToHexString(k.key_id()),
               k.role(),
               k.organisation(),
               k.node(),
               k.tls_identity(),
               k.enrolled_at_leaf(),
               std::nullopt,
               k.next_sequence()};
  if (k.revoked()) line.revoked_at_leaf = k.revoked_at_leaf();
  out << FormatKeys({line}, {}, args.json);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<api::client::SubmittedEntry>> SubmitPayloads(
    ServerConnection& conn, const std::string& key_path, std::string type,
    const std::vector<std::string>& payloads,
    const std::vector<std::string>& names) {
  v1::KeyRecord record;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::EntrySigner> signer,
                   SignerFor(conn, key_path, &record));
  if (type.empty()) {
    ledger::Role role;
    RETURN_IF_ERROR(ledger::ParseRoleName(record.role(), &role));
    ASSIGN_OR_RETURN(type, ledger::OpaqueBlobType(role));
  }
  std::vector<std::string> envelopes;
  for (const std::string& payload : payloads) {
    ASSIGN_OR_RETURN(std::string envelope, signer->SignNext(type, payload));
    envelopes.push_back(std::move(envelope));
  }
  ASSIGN_OR_RETURN(auto results, conn.client->Submit(envelopes));
  std::vector<api::client::SubmittedEntry> submitted;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok())
      return RefusedPayload(results[i].status(), names[i], i);
    submitted.push_back({envelopes[i], *results[i]});
  }
  return submitted;
}

absl::Status RemoteAppend(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<std::string> payloads, ReadAppendInputs(args));
  const std::string key_path = absl::GetFlag(FLAGS_key);
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(std::vector<api::client::SubmittedEntry> submitted,
                   SubmitPayloads(conn, key_path, absl::GetFlag(FLAGS_type),
                                  payloads, args.positional));
  for (const api::client::SubmittedEntry& entry : submitted)
    out << entry.receipt.leaf_index() << "\n";
  // Local append publishes a checkpoint; here, wait until a verified one
  // includes every entry, so the next command sees them.
  return conn.client->ConfirmIncluded(submitted, /*wait=*/true);
}

absl::Status RemoteEnroll(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(aifl::ledger::v1::KeyEvent event, EnrolEventFromFlags());
  return SubmitKeyEvent(args, event, out);
}

absl::Status RemoteRevoke(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(aifl::ledger::v1::KeyEvent event, RevokeEventFromFlags());
  return SubmitKeyEvent(args, event, out);
}

}  // namespace ledgerctl
