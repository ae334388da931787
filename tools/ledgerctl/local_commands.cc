#include "tools/ledgerctl/local_commands.h"

#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/audit.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/ledger_init.h"
#include "ledger/log_key_rotation.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "ledger/tiles/static_publisher.h"
#include "tools/ledgerctl/file_io.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/key_events.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/signed_heads.h"

namespace ledgerctl {
namespace {

using ledger::Ledger;

absl::Status RequireDir(const CommandArgs& args) {
  if (args.dir.empty()) return absl::InvalidArgumentError("--dir is required");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Ledger>> OpenLedger(const CommandArgs& args,
                                                   bool read_only) {
  RETURN_IF_ERROR(RequireDir(args));
  ledger::LedgerOptions options;
  options.dir = args.dir;
  options.read_only = read_only;
  options.signed_state_dir = absl::GetFlag(FLAGS_signed_state_dir);
  return Ledger::Open(options);
}

// Signs `event` with the admin key and appends it, then publishes a
// checkpoint; prints the leaf index.
absl::Status AppendKeyEvent(const CommandArgs& args,
                            const aifl::ledger::v1::KeyEvent& event,
                            std::ostream& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(args, false));
  std::string admin_path = absl::GetFlag(FLAGS_admin_key);
  if (admin_path.empty()) admin_path = ledger::DefaultAdminKeyPath(args.dir);
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> admin_key,
                   ledger::crypto::ReadSecretKeyFile(admin_path));
  const auto info =
      ledger->FindKey(ledger::crypto::ComputeKeyId(admin_key->public_key()));
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_ADMIN) {
    return absl::PermissionDeniedError(absl::StrCat(
        admin_path, " is not an enrolled admin key of this ledger"));
  }
  ledger::EntrySigner admin(std::move(admin_key), ledger->origin(),
                            info->next_sequence);
  ASSIGN_OR_RETURN(
      std::string envelope,
      admin.SignNext(ledger::kKeyEventType, event.SerializeAsString()));
  ledger::AppendResult result = ledger->Append({envelope})[0];
  RETURN_IF_ERROR(result.status);
  RETURN_IF_ERROR(ledger->PublishCheckpoint().status());
  out << result.leaf_index << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status SaveIfAsked(const std::string& note) {
  const std::string path = absl::GetFlag(FLAGS_save);
  if (path.empty()) return absl::OkStatus();
  return WriteWholeFile(path, note);
}

absl::Status Init(const CommandArgs& args, std::ostream& out) {
  RETURN_IF_ERROR(RequireDir(args));
  const std::string origin = absl::GetFlag(FLAGS_origin);
  if (origin.empty()) return absl::InvalidArgumentError("--origin is required");
  ASSIGN_OR_RETURN(ledger::InitResult result,
                   ledger::InitLedger(args.dir, origin, nullptr,
                                      absl::GetFlag(FLAGS_signed_state_dir)));
  out << "created ledger " << origin << " in " << args.dir << "\n"
      << "admin key: " << ledger::DefaultAdminKeyPath(args.dir) << " (id "
      << result.admin_key_id << ")\n"
      << "log key: " << ledger::DefaultLogKeyPath(args.dir) << "\n"
      << result.verifier_key << "\n";
  return absl::OkStatus();
}

absl::Status Keygen(const CommandArgs& args, std::ostream& out) {
  const std::string path = absl::GetFlag(FLAGS_out);
  if (path.empty()) return absl::InvalidArgumentError("--out is required");
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::SigningKey::Generate());
  RETURN_IF_ERROR(ledger::crypto::WriteSecretKeyFile(path, *key));
  RETURN_IF_ERROR(
      ledger::crypto::WritePublicKeyFile(path + ".pub", key->public_key()));
  out << ledger::crypto::ComputeKeyId(key->public_key()).ToString() << "\n";
  return absl::OkStatus();
}

absl::Status Enroll(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(aifl::ledger::v1::KeyEvent event, EnrolEventFromFlags());
  return AppendKeyEvent(args, event, out);
}

absl::Status Revoke(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(aifl::ledger::v1::KeyEvent event, RevokeEventFromFlags());
  return AppendKeyEvent(args, event, out);
}

absl::StatusOr<LocalAppendResult> AppendPayloads(
    const CommandArgs& args, const std::string& key_path, std::string type,
    const std::vector<std::string>& payloads,
    const std::vector<std::string>& names) {
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(args, false));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(key_path));
  const auto info =
      ledger->FindKey(ledger::crypto::ComputeKeyId(key->public_key()));
  if (!info.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the key in ", key_path, " is not enrolled in this ledger"));
  }
  if (type.empty()) {
    ASSIGN_OR_RETURN(type, ledger::OpaqueBlobType(info->role));
  }
  ledger::EntrySigner signer(std::move(key), ledger->origin(),
                             info->next_sequence);
  std::vector<std::string> envelopes;
  for (const std::string& payload : payloads) {
    ASSIGN_OR_RETURN(std::string envelope, signer.SignNext(type, payload));
    envelopes.push_back(std::move(envelope));
  }
  LocalAppendResult out;
  std::vector<ledger::AppendResult> results = ledger->Append(envelopes);
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].status.ok()) {
      return RefusedPayload(results[i].status, names[i], i);
    }
    out.leaf_indices.push_back(results[i].leaf_index);
    out.integration_times_micros.push_back(results[i].integration_time_micros);
  }
  ASSIGN_OR_RETURN(out.checkpoint, ledger->PublishCheckpoint());
  return out;
}

absl::Status RefusedPayload(const absl::Status& status, const std::string& name,
                            size_t i) {
  // Earlier entries are durable; say so, so nothing is appended twice.
  return absl::Status(
      status.code(),
      absl::StrCat(
          name, ": ", status.message(),
          i > 0 ? absl::StrCat(" (the ", i, " file(s) before it were appended)")
                : ""));
}

absl::StatusOr<std::vector<std::string>> ReadAppendInputs(
    const CommandArgs& args) {
  if (absl::GetFlag(FLAGS_key).empty())
    return absl::InvalidArgumentError("--key is required");
  if (args.positional.empty())
    return absl::InvalidArgumentError("no payload files given");
  std::vector<std::string> payloads;
  for (const std::string& file : args.positional) {
    ASSIGN_OR_RETURN(std::string payload, common::ReadWholeFile(file));
    payloads.push_back(std::move(payload));
  }
  return payloads;
}

absl::Status Append(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<std::string> payloads, ReadAppendInputs(args));
  const std::string key_path = absl::GetFlag(FLAGS_key);
  ASSIGN_OR_RETURN(LocalAppendResult appended,
                   AppendPayloads(args, key_path, absl::GetFlag(FLAGS_type),
                                  payloads, args.positional));
  for (uint64_t index : appended.leaf_indices) out << index << "\n";
  return absl::OkStatus();
}

absl::Status RestoreSignedStateCommand(const CommandArgs& args,
                                       std::ostream& out) {
  RETURN_IF_ERROR(RequireDir(args));
  return RestoreSignedState(args.dir, absl::GetFlag(FLAGS_signed_state_dir),
                            absl::GetFlag(FLAGS_checkpoint), out);
}

absl::Status RotateLogKey(const CommandArgs& args, std::ostream& out) {
  RETURN_IF_ERROR(RequireDir(args));
  const std::string new_key = absl::GetFlag(FLAGS_new_key);
  if (new_key.empty())
    return absl::InvalidArgumentError("--new-key is required");
  if (absl::GetFlag(FLAGS_generate)) {
    ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                     ledger::crypto::SigningKey::Generate());
    RETURN_IF_ERROR(ledger::crypto::WriteSecretKeyFile(new_key, *key));
    RETURN_IF_ERROR(ledger::crypto::WritePublicKeyFile(new_key + ".pub",
                                                       key->public_key()));
  }
  ledger::LogKeyRotationOptions options;
  options.dir = args.dir;
  options.new_key_path = new_key;
  options.admin_key_path = absl::GetFlag(FLAGS_admin_key);
  options.signed_state_dir = absl::GetFlag(FLAGS_signed_state_dir);
  ASSIGN_OR_RETURN(ledger::LogKeyRotationResult result,
                   ledger::RotateLedgerLogKey(options));
  out << "log key rotated: announced at leaf " << result.announced_at_leaf
      << ", handover checkpoint at size " << result.handover_size
      << " (signed by the old and the new key)\n";
  if (!result.retired_key_path.empty())
    out << "old key kept as " << result.retired_key_path << "\n";
  out << "new log key installed as " << ledger::DefaultLogKeyPath(args.dir)
      << "; start the server with it\n"
      << result.verifier_key << "\n";
  return absl::OkStatus();
}

absl::Status Snapshot(const CommandArgs& args, std::ostream& out) {
  const std::string target = absl::GetFlag(FLAGS_out);
  if (target.empty()) return absl::InvalidArgumentError("--out is required");
  // RocksDB checkpoints need the database open for writing (they pause file
  // deletions); a server holding the ledger takes snapshots itself.
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(args, false));
  RETURN_IF_ERROR(ledger->Snapshot(target));
  out << "snapshot of " << ledger->Size() << " entries written to " << target
      << " (audit it with: ledgerctl verify --dir " << target << ")\n";
  return absl::OkStatus();
}

absl::Status Publish(const CommandArgs& args, std::ostream& out) {
  const std::string target = absl::GetFlag(FLAGS_out);
  if (target.empty()) return absl::InvalidArgumentError("--out is required");
  // Read-only: works while a server holds the ledger.
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(args, true));
  ledger::tiles::LedgerTileSource source(ledger.get());
  ASSIGN_OR_RETURN(
      ledger::tiles::PublishReport report,
      ledger::tiles::PublishTiles(source, target, [&](const std::string& path) {
        out << "wrote " << path << "\n";
      }));
  out << "published size " << report.size << " to " << target << ": "
      << report.written << " tiles written, " << report.skipped
      << " already present, " << report.bytes_written << " bytes\n";
  return absl::OkStatus();
}

}  // namespace ledgerctl
