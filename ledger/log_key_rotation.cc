#include "ledger/log_key_rotation.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/durable_file.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/note/signed_note.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/signed_state.h"

namespace ledger {
namespace {

absl::Status Step(const LogKeyRotationOptions& options,
                  absl::string_view name) {
  return options.before_step ? options.before_step(name) : absl::OkStatus();
}

// Writes `key` to `path` (mode 0600) atomically: a temp file, then a rename.
absl::Status InstallKeyFile(const std::string& path,
                            const crypto::SigningKey& key) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());  // a leftover of an interrupted run
  RETURN_IF_ERROR(crypto::WriteSecretKeyFile(tmp, key));
  return common::RenameDurably(tmp, path);
}

absl::Status InstallPublicKeyFile(const std::string& path,
                                  const crypto::PublicKey& key) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  RETURN_IF_ERROR(crypto::WritePublicKeyFile(tmp, key));
  return common::RenameDurably(tmp, path);
}

// The admin-signed KeyEvent announcing `key` as the log key.
absl::StatusOr<std::string> SignAnnouncement(const Ledger& ledger,
                                             const std::string& admin_key_path,
                                             const crypto::PublicKey& key) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> admin_key,
                   crypto::ReadSecretKeyFile(admin_key_path));
  const auto info =
      ledger.FindKey(crypto::ComputeKeyId(admin_key->public_key()));
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_ADMIN ||
      info->revoked()) {
    return absl::PermissionDeniedError(
        absl::StrCat(admin_key_path,
                     " is not an enrolled, unrevoked admin key of this "
                     "ledger"));
  }
  EntrySigner admin(std::move(admin_key), ledger.origin(), info->next_sequence);
  aifl::ledger::v1::KeyEvent event;
  event.mutable_log_key()->set_public_key(std::string(key.bytes()));
  event.mutable_log_key()->set_origin(ledger.origin());
  return admin.SignNext(kKeyEventType, event.SerializeAsString());
}

// Step 1: stages the new key inside the ledger folder as `next_path`. Refuses
// when a rotation to another key is already staged there.
absl::Status StageNewKey(const LogKeyRotationOptions& options,
                         const std::string& next_path,
                         const crypto::SigningKey& new_key) {
  const crypto::PublicKey new_pub = new_key.public_key();
  auto staged = crypto::ReadSecretKeyFile(next_path);
  if (staged.ok() && (*staged)->public_key() != new_pub) {
    return absl::FailedPreconditionError(
        absl::StrCat("a rotation to another key is staged in ", next_path,
                     ": finish it with `ledgerctl rotate-log-key --dir ",
                     options.dir, " --new-key ", next_path, "`"));
  }
  if (!staged.ok() && staged.status().code() != absl::StatusCode::kNotFound)
    return staged.status();
  if (!staged.ok()) {
    RETURN_IF_ERROR(Step(options, "stage"));
    RETURN_IF_ERROR(InstallKeyFile(next_path, new_key));
  }
  return absl::OkStatus();
}

// Step 2: appends the LogKey entry and the handover checkpoint (each skipped
// when done). Sets *origin to the ledger's origin.
absl::StatusOr<LogKeyRotationResult> AnnounceAndHandOver(
    const LogKeyRotationOptions& options, const std::string& admin_path,
    const std::string& key_path, bool already_installed,
    std::unique_ptr<crypto::SigningKey> new_key, std::string* origin) {
  const crypto::PublicKey new_pub = new_key->public_key();
  LogKeyRotationResult result;
  LedgerOptions ledger_options;
  ledger_options.dir = options.dir;
  ledger_options.clock = options.clock;
  ledger_options.signed_state_dir = options.signed_state_dir;
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                   Ledger::Open(ledger_options));
  *origin = ledger->origin();
  std::string envelope;
  if (ledger->log_public_key() != new_pub) {
    ASSIGN_OR_RETURN(envelope, SignAnnouncement(*ledger, admin_path, new_pub));
  }
  RETURN_IF_ERROR(Step(options, "announce"));
  absl::StatusOr<std::string> handover =
      ledger->RotateLogKey(envelope, std::move(new_key), key_path);
  if (!handover.ok()) {
    // Refused before the LogKey was appended: un-stage the key, so that a
    // rotation to another key is not blocked by it.
    if (ledger->log_public_key() != new_pub && !already_installed) {
      ::unlink(SignedStatePath(key_path, options.signed_state_dir).c_str());
      ::unlink(key_path.c_str());
    }
    return handover.status();
  }
  result.handover_note = *std::move(handover);
  result.announced_at_leaf = ledger->LogKeys().current().announced_at_leaf;
  ASSIGN_OR_RETURN(std::optional<uint64_t> handover_size,
                   ledger->FirstCheckpointAfter(result.announced_at_leaf));
  result.handover_size = handover_size.value_or(0);
  result.verifier_key = ledger->VerifierKey();
  return result;
}

// Step 3: keeps the old key (and its signed state, whose last entry is the
// handover) under its retired name `retired`. Copies, each skipped when
// present: the originals are replaced only in step 4, after both exist.
absl::Status RetireOldKey(const LogKeyRotationOptions& options,
                          const std::string& log_path,
                          const std::string& retired,
                          const crypto::SigningKey& installed) {
  if (!common::PathExists(retired)) {
    RETURN_IF_ERROR(Step(options, "retire"));
    RETURN_IF_ERROR(InstallKeyFile(retired, installed));
  }
  if (!common::PathExists(retired + ".pub")) {
    RETURN_IF_ERROR(
        InstallPublicKeyFile(retired + ".pub", installed.public_key()));
  }
  if (!common::PathExists(SignedStatePath(retired, options.signed_state_dir))) {
    ASSIGN_OR_RETURN(
        std::optional<SignedState> old_state,
        ReadSignedState(SignedStatePath(log_path, options.signed_state_dir)));
    if (old_state.has_value()) {
      RETURN_IF_ERROR(WriteSignedState(
          SignedStatePath(retired, options.signed_state_dir), *old_state));
    }
  }
  return absl::OkStatus();
}

// Step 4: installs the new key's signed state, then the key itself, each by
// an atomic rename over the old one.
absl::Status InstallNewKey(const LogKeyRotationOptions& options,
                           const std::string& log_path,
                           const std::string& next_path,
                           const crypto::PublicKey& new_pub) {
  if (common::PathExists(
          SignedStatePath(next_path, options.signed_state_dir))) {
    RETURN_IF_ERROR(Step(options, "install_state"));
    RETURN_IF_ERROR(common::RenameDurably(
        SignedStatePath(next_path, options.signed_state_dir),
        SignedStatePath(log_path, options.signed_state_dir)));
  }
  RETURN_IF_ERROR(Step(options, "install_key"));
  RETURN_IF_ERROR(common::RenameDurably(next_path, log_path));
  return InstallPublicKeyFile(log_path + ".pub", new_pub);
}

}  // namespace

std::string NextLogKeyPath(const std::string& dir) {
  return DefaultLogKeyPath(dir) + ".next";
}

absl::StatusOr<LogKeyRotationResult> RotateLedgerLogKey(
    const LogKeyRotationOptions& options) {
  if (options.dir.empty())
    return absl::InvalidArgumentError("ledger folder: required");
  if (options.new_key_path.empty())
    return absl::InvalidArgumentError("new log key file: required");
  const std::string log_path = DefaultLogKeyPath(options.dir);
  const std::string next_path = NextLogKeyPath(options.dir);
  const std::string admin_path = options.admin_key_path.empty()
                                     ? DefaultAdminKeyPath(options.dir)
                                     : options.admin_key_path;
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> new_key,
                   crypto::ReadSecretKeyFile(options.new_key_path));
  const crypto::PublicKey new_pub = new_key->public_key();
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> installed,
                   crypto::ReadSecretKeyFile(log_path));
  // A crash after the last rename may have installed the key already.
  const bool already_installed = installed->public_key() == new_pub;

  if (!already_installed) {
    RETURN_IF_ERROR(StageNewKey(options, next_path, *new_key));
  }
  std::string origin;
  ASSIGN_OR_RETURN(
      LogKeyRotationResult result,
      AnnounceAndHandOver(options, admin_path,
                          already_installed ? log_path : next_path,
                          already_installed, std::move(new_key), &origin));
  if (already_installed) {
    RETURN_IF_ERROR(InstallPublicKeyFile(log_path + ".pub", new_pub));
    return result;
  }
  const std::string retired =
      absl::StrFormat("%s.retired-%08x", log_path,
                      note::NoteKeyId(origin, installed->public_key()));
  result.retired_key_path = retired;
  RETURN_IF_ERROR(RetireOldKey(options, log_path, retired, *installed));
  RETURN_IF_ERROR(InstallNewKey(options, log_path, next_path, new_pub));
  return result;
}

}  // namespace ledger
