#include "ledger/ledger_init.h"

#include <sys/stat.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/errno_status.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/storage_keys.h"

namespace ledger {
namespace {

absl::Status MakeDir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST)
    return absl::OkStatus();
  return common::ErrnoToStatus(errno, absl::StrCat("creating ", path));
}

}  // namespace

absl::StatusOr<InitResult> InitLedger(const std::string& dir,
                                      const std::string& origin,
                                      common::Clock* clock,
                                      const std::string& signed_state_dir) {
  RETURN_IF_ERROR(ValidateOrigin(origin));
  if (struct stat st;
      !signed_state_dir.empty() &&
      (::stat(signed_state_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed state folder ", signed_state_dir,
                     ": not an existing folder (create it first)"));
  }
  RETURN_IF_ERROR(MakeDir(dir, 0755));
  RETURN_IF_ERROR(MakeDir(KeysPath(dir), 0700));
  const std::string log_key_path = DefaultLogKeyPath(dir);
  const std::string admin_key_path = DefaultAdminKeyPath(dir);
  {
    // Create the database first: it refuses (kAlreadyExists) an existing
    // ledger.
    storage::StoreOptions options;
    options.mode = storage::StoreOptions::Mode::kCreate;
    ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                     storage::Store::Open(DbPath(dir), options));
    ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> log_key,
                     crypto::SigningKey::Generate());
    ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> admin_key,
                     crypto::SigningKey::Generate());
    RETURN_IF_ERROR(crypto::WriteSecretKeyFile(log_key_path, *log_key));
    RETURN_IF_ERROR(crypto::WritePublicKeyFile(log_key_path + ".pub",
                                               log_key->public_key()));
    RETURN_IF_ERROR(crypto::WriteSecretKeyFile(admin_key_path, *admin_key));
    RETURN_IF_ERROR(crypto::WritePublicKeyFile(admin_key_path + ".pub",
                                               admin_key->public_key()));
    storage::Batch batch;
    batch.Put(storage::Family::kMeta, keys::kOrigin, origin);
    batch.Put(storage::Family::kMeta, keys::kLogPublicKey,
              log_key->public_key().bytes());
    RETURN_IF_ERROR(store->Write(&batch));
  }
  LedgerOptions options;
  options.dir = dir;
  options.clock = clock;
  options.signed_state_dir = signed_state_dir;
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(options));
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> admin_key,
                   crypto::ReadSecretKeyFile(admin_key_path));
  EntrySigner admin(std::move(admin_key), origin, 0);

  aifl::ledger::v1::KeyEvent enrol;
  enrol.mutable_enrol()->set_public_key(
      std::string(admin.public_key().bytes()));
  enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_ADMIN);
  enrol.mutable_enrol()->set_organisation(origin);
  aifl::ledger::v1::KeyEvent announce;
  announce.mutable_log_key()->set_public_key(
      std::string(ledger->log_public_key().bytes()));
  announce.mutable_log_key()->set_origin(origin);
  std::vector<std::string> genesis;
  for (const auto* event : {&enrol, &announce}) {
    ASSIGN_OR_RETURN(std::string envelope,
                     admin.SignNext(kKeyEventType, event->SerializeAsString()));
    genesis.push_back(std::move(envelope));
  }
  for (const AppendResult& result : ledger->Append(genesis))
    RETURN_IF_ERROR(result.status);
  InitResult out;
  ASSIGN_OR_RETURN(out.checkpoint, ledger->PublishCheckpoint());
  out.verifier_key = ledger->VerifierKey();
  out.admin_key_id = admin.key_id().ToString();
  return out;
}

}  // namespace ledger
