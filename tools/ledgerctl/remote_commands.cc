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

std::string ProofJson(const std::vector<ledger::merkle::Hash>& proof) {
  std::string out = "[";
  for (size_t i = 0; i < proof.size(); ++i)
    absl::StrAppend(&out, i ? ", " : "", "\"",
                    ledger::merkle::HashToBase64(proof[i]), "\"");
  return out + "]";
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

absl::Status RemoteCheckpoint(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(VerifiedCheckpoint cp, conn.client->LatestCheckpoint());
  RETURN_IF_ERROR(SaveIfAsked(cp.note));
  out << cp.note;
  return absl::OkStatus();
}

absl::Status RemoteLeaf(const CommandArgs& args, std::ostream& out) {
  const int64_t index = absl::GetFlag(FLAGS_index);
  if (index < 0) return absl::InvalidArgumentError("--index is required (≥ 0)");
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(api::client::VerifiedLeaf leaf,
                   conn.client->InclusionProofByIndex(index));
  out << leaf.leaf;
  return absl::OkStatus();
}

absl::Status RemoteProve(const CommandArgs& args, std::ostream& out,
                         std::ostream& err) {
  const int64_t index = absl::GetFlag(FLAGS_index);
  const std::string leaf_file = absl::GetFlag(FLAGS_leaf_file);
  if (index < 0 && leaf_file.empty())
    return absl::InvalidArgumentError(
        "--index (≥ 0) or --leaf_file is required");
  const int64_t size = absl::GetFlag(FLAGS_size);
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(VerifiedCheckpoint cp,
                   CheckpointOfSize(conn, size < 0 ? 0 : size));
  uint64_t at = static_cast<uint64_t>(index);
  if (!leaf_file.empty()) {
    ASSIGN_OR_RETURN(std::string leaf, common::ReadWholeFile(leaf_file));
    const ledger::merkle::Hash hash = ledger::merkle::HashLeaf(leaf);
    v1::InclusionProofRequest request;
    request.set_leaf_hash(std::string(hash.begin(), hash.end()));
    request.set_tree_size(cp.fields.size);
    v1::InclusionProof response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    RETURN_IF_ERROR(api::client::FromGrpcStatus(
        "Audit.GetInclusionProof",
        conn.audit->GetInclusionProof(&context, request, &response)));
    at = response.leaf_index();
  }
  ASSIGN_OR_RETURN(ProvenLeaf proven, ProveLeaf(conn, cp, at));
  if (!leaf_file.empty()) {
    ASSIGN_OR_RETURN(std::string leaf, common::ReadWholeFile(leaf_file));
    if (leaf != proven.leaf) {
      return absl::DataLossError(
          absl::StrCat("the server's leaf ", at, " differs from ", leaf_file));
    }
  }
  const std::string root = ledger::merkle::HashToBase64(cp.fields.root);
  const std::string ok_line = absl::StrFormat(
      "ok: leaf %d (hash %s) is in the log at size %d, root %s; checkpoint "
      "signature and inclusion proof verified\n",
      at, ledger::merkle::HashToBase64(ledger::merkle::HashLeaf(proven.leaf)),
      cp.fields.size, root);
  if (args.json) {
    out << absl::StrFormat(
        "{\"ok\": true, \"leaf_index\": %d, \"tree_size\": %d, \"root\": "
        "\"%s\", \"proof\": %s, \"checkpoint\": %s}\n",
        at, cp.fields.size, root, ProofJson(proven.proof),
        common::JsonQuote(cp.note));
  } else if (!leaf_file.empty()) {
    out << ok_line;
  } else {
    out << FormatProof(proven.proof);
    err << ok_line;
  }
  return absl::OkStatus();
}

absl::Status RemoteConsistency(const CommandArgs& args, std::ostream& out) {
  const int64_t from = absl::GetFlag(FLAGS_from);
  if (from < 0) return absl::InvalidArgumentError("--from is required (≥ 0)");
  const int64_t to = absl::GetFlag(FLAGS_to);
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(VerifiedCheckpoint newer,
                   CheckpointOfSize(conn, to < 0 ? 0 : to));
  if (static_cast<uint64_t>(from) > newer.fields.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from ", from, " is beyond size ", newer.fields.size));
  }
  ledger::CheckpointFields older{conn.client->verifier().origin(), 0,
                                 ledger::merkle::EmptyRoot()};
  if (from > 0) {
    ASSIGN_OR_RETURN(VerifiedCheckpoint cp, conn.client->CheckpointAt(from));
    older = cp.fields;
  }
  ASSIGN_OR_RETURN(std::vector<ledger::merkle::Hash> proof,
                   ProveConsistency(conn, older, newer.fields));
  out << FormatProof(proof);
  return absl::OkStatus();
}

absl::Status RemoteKeys(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  v1::ListKeysResponse keys;
  const std::string own_key = absl::GetFlag(FLAGS_key);
  if (own_key.empty()) {
    absl::StatusOr<v1::ListKeysResponse> all = conn.client->ListKeys();
    if (absl::IsPermissionDenied(all.status())) {
      return absl::PermissionDeniedError(absl::StrCat(
          all.status().message(), " (to see your own key: keys --key K)"));
    }
    RETURN_IF_ERROR(all.status());
    keys = *std::move(all);
  } else {
    // One's own key, which every submitting role may ask about.
    ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                     ledger::crypto::ReadSecretKeyFile(own_key));
    ASSIGN_OR_RETURN(*keys.add_keys(), OwnKey(conn, *key, own_key));
  }
  std::vector<KeyLine> lines;
  for (const v1::KeyRecord& k : keys.keys()) {
    KeyLine line{absl::BytesToHexString(k.key_id()),
                 k.role(),
                 k.organisation(),
                 k.node(),
                 k.tls_identity(),
                 k.enrolled_at_leaf(),
                 std::nullopt,
                 k.next_sequence()};
    if (k.revoked()) line.revoked_at_leaf = k.revoked_at_leaf();
    lines.push_back(std::move(line));
  }
  ASSIGN_OR_RETURN(v1::GetLogKeysResponse log_keys, conn.client->GetLogKeys());
  std::vector<LogKeyLine> log_lines;
  for (const v1::LogKeyRecord& k : log_keys.log_keys()) {
    ASSIGN_OR_RETURN(ledger::crypto::PublicKey key,
                     ledger::crypto::PublicKey::FromBytes(k.public_key()));
    LogKeyLine line{
        ledger::LogVerifierKey(conn.client->verifier().origin(), key),
        k.announced_at_leaf(), std::nullopt};
    if (k.first_checkpoint_size() != 0)
      line.first_checkpoint_size = k.first_checkpoint_size();
    log_lines.push_back(std::move(line));
  }
  out << FormatKeys(lines, log_lines, args.json);
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

absl::Status Grew(const CommandArgs& args, std::ostream& out) {
  const std::string since = absl::GetFlag(FLAGS_since);
  if (since.empty()) return absl::InvalidArgumentError("--since is required");
  ASSIGN_OR_RETURN(std::string saved_note, common::ReadWholeFile(since));
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  // The latest first: it moves trust across any log-key rotation.
  ASSIGN_OR_RETURN(VerifiedCheckpoint latest, conn.client->LatestCheckpoint());
  absl::StatusOr<VerifiedCheckpoint> saved =
      conn.client->verifier().VerifyCheckpoint(saved_note);
  if (api::client::IsCheckpointSignatureError(saved.status())) {
    // Saved before a rotation: signed by the key given with --vkey.
    saved = conn.client->configured_verifier().VerifyCheckpoint(saved_note);
  }
  if (!saved.ok()) {
    return absl::DataLossError(
        absl::StrCat("saved checkpoint ", since,
                     " does not verify: ", saved.status().message()));
  }
  ASSIGN_OR_RETURN(std::vector<ledger::merkle::Hash> proof,
                   ProveConsistency(conn, saved->fields, latest.fields));
  const std::string old_root = ledger::merkle::HashToBase64(saved->fields.root);
  const std::string new_root = ledger::merkle::HashToBase64(latest.fields.root);
  if (args.json) {
    out << absl::StrFormat(
        "{\"ok\": true, \"from_size\": %d, \"from_root\": \"%s\", "
        "\"to_size\": %d, \"to_root\": \"%s\", \"proof\": %s}\n",
        saved->fields.size, old_root, latest.fields.size, new_root,
        ProofJson(proof));
  } else {
    out << absl::StrFormat(
        "ok: the log only grew: size %d (root %s) is a prefix of size %d "
        "(root %s); consistency proof of %d hashes verified\n",
        saved->fields.size, old_root, latest.fields.size, new_root,
        proof.size());
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl
