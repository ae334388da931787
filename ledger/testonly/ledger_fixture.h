// A real ledger in a fresh temporary folder, with a fake clock, the admin's
// entry signer, and helpers to enrol keys. For tests of the ledger and of
// everything built on it.
#ifndef LEDGER_TESTONLY_LEDGER_FIXTURE_H_
#define LEDGER_TESTONLY_LEDGER_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace ledger::testonly {

// A unique empty folder under $TEST_TMPDIR (or /tmp).
std::string FreshDir(const std::string& name);

class LedgerFixture {
 public:
  // Creates a ledger with `origin` in a fresh folder and opens it.
  static absl::StatusOr<std::unique_ptr<LedgerFixture>> Create(
      const std::string& origin = "test.example/ledger");

  Ledger& ledger() { return *ledger_; }
  common::FakeClock& clock() { return clock_; }
  const std::string& dir() const { return dir_; }
  EntrySigner& admin() { return *admin_; }

  // Generates a key, enrols it with `role` (an admin-signed key event) and
  // returns a signer for it, numbered from 0.
  absl::StatusOr<std::unique_ptr<EntrySigner>> EnrolNewKey(
      aifl::ledger::v1::Role role, const std::string& organisation = "org",
      const std::string& tls_identity = "");

  // Appends one envelope and returns its result's status, or its leaf index.
  absl::StatusOr<uint64_t> AppendOne(const std::string& envelope);

  // Rotates the log key to a fresh one, as `ledgerctl rotate-log-key` does
  // (the admin-signed LogKey, then the handover checkpoint both keys sign;
  // the new secret key written in the ledger's keys/ folder). Returns the
  // handover checkpoint note.
  absl::StatusOr<std::string> RotateLogKey();

  // Closes and reopens the ledger (as a restart would), optionally over
  // another RocksDB Env (e.g. a fault-injecting one; not owned).
  absl::Status Reopen(rocksdb::Env* env = nullptr);
  void Close() { ledger_.reset(); }
  // LedgerOptions::index_run_leaves for the next Reopen (0: the default).
  void set_index_run_leaves(uint64_t leaves) { index_run_leaves_ = leaves; }
  // LedgerOptions::max_leaf_bytes for the next Reopen (0: the default).
  void set_max_leaf_bytes(size_t bytes) { max_leaf_bytes_ = bytes; }

 private:
  LedgerFixture() : clock_(absl::FromUnixSeconds(1'780'000'000)) {}

  common::FakeClock clock_;
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<EntrySigner> admin_;
  uint64_t index_run_leaves_ = 0;
  size_t max_leaf_bytes_ = 0;
  int rotations_ = 0;
};

}  // namespace ledger::testonly

#endif  // LEDGER_TESTONLY_LEDGER_FIXTURE_H_
