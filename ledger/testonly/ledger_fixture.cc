#include "ledger/testonly/ledger_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger_init.h"
#include "ledger/roles.h"

namespace ledger::testonly {

std::string FreshDir(const std::string& name) {
  static std::atomic<int> counter{0};
  const char* base = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(base != nullptr ? base : "/tmp", "/", name, "-", ::getpid(),
                   "-", counter.fetch_add(1));
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

absl::StatusOr<std::unique_ptr<LedgerFixture>> LedgerFixture::Create(
    const std::string& origin) {
  auto fixture = std::unique_ptr<LedgerFixture>(new LedgerFixture());
  fixture->dir_ = FreshDir("ledger");
  RETURN_IF_ERROR(InitLedger(fixture->dir_, origin, &fixture->clock_).status());
  RETURN_IF_ERROR(fixture->Reopen());
  ASSIGN_OR_RETURN(
      std::unique_ptr<crypto::SigningKey> admin_key,
      crypto::ReadSecretKeyFile(DefaultAdminKeyPath(fixture->dir_)));
  // Genesis used the admin's sequence numbers 0 and 1.
  fixture->admin_ =
      std::make_unique<EntrySigner>(std::move(admin_key), origin, 2);
  return fixture;
}

absl::Status LedgerFixture::Reopen(rocksdb::Env* env) {
  ledger_.reset();
  LedgerOptions options;
  options.dir = dir_;
  options.clock = &clock_;
  options.store_options.env = env;
  if (index_run_leaves_ > 0) options.index_run_leaves = index_run_leaves_;
  if (max_leaf_bytes_ > 0) options.max_leaf_bytes = max_leaf_bytes_;
  ASSIGN_OR_RETURN(ledger_, Ledger::Open(options));
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> LedgerFixture::AppendOne(const std::string& envelope) {
  std::vector<AppendResult> results = ledger_->Append({envelope});
  if (!results[0].status.ok()) return results[0].status;
  return results[0].leaf_index;
}

absl::StatusOr<std::unique_ptr<EntrySigner>> LedgerFixture::EnrolNewKey(
    aifl::ledger::v1::Role role, const std::string& organisation,
    const std::string& tls_identity) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                   crypto::SigningKey::Generate());
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(std::string(key->public_key().bytes()));
  event.mutable_enrol()->set_role(role);
  event.mutable_enrol()->set_organisation(organisation);
  event.mutable_enrol()->set_tls_identity(tls_identity);
  ASSIGN_OR_RETURN(std::string envelope,
                   admin_->SignNext(kKeyEventType, event.SerializeAsString()));
  RETURN_IF_ERROR(AppendOne(envelope).status());
  return std::make_unique<EntrySigner>(std::move(key), ledger_->origin(), 0);
}

absl::StatusOr<std::string> LedgerFixture::RotateLogKey() {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                   crypto::SigningKey::Generate());
  const std::string path =
      absl::StrCat(dir_, "/keys/next-", ++rotations_, ".key");
  RETURN_IF_ERROR(crypto::WriteSecretKeyFile(path, *key));
  aifl::ledger::v1::KeyEvent event;
  event.mutable_log_key()->set_public_key(
      std::string(key->public_key().bytes()));
  event.mutable_log_key()->set_origin(ledger_->origin());
  // The admin's next number as the ledger knows it (a test may have signed
  // with a copy of the admin key).
  admin_->set_next_sequence(ledger_->FindKey(admin_->key_id())->next_sequence);
  ASSIGN_OR_RETURN(std::string envelope,
                   admin_->SignNext(kKeyEventType, event.SerializeAsString()));
  return ledger_->RotateLogKey(envelope, std::move(key), path);
}

}  // namespace ledger::testonly
