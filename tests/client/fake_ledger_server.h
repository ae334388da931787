// An in-process ledger server for the client tests: Ingest (with
// GetOwnKeyState, answered as to the local operator), Audit (with
// GetLogKeys) and Admin (GetStatus only) over a real ledger (LedgerFixture), on
// 127.0.0.1 with a free port, plaintext. It can be switched into misbehaving
// modes, each one thing a malicious or broken server could do, to check the
// client refuses.
//
// Thread-safe: the mode may change while calls are served.
#ifndef TESTS_CLIENT_FAKE_LEDGER_SERVER_H_
#define TESTS_CLIENT_FAKE_LEDGER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "ledger/entry_signer.h"
#include "ledger/testonly/ledger_fixture.h"

namespace client_test {

enum class Misbehaviour {
  kNone,
  // Serves another tree (BuildFork), with checkpoints signed by the real log
  // key: the log key holder forked history.
  kForkedTree,
  // Flips a byte of the first hash of every inclusion proof.
  kBadInclusionProof,
  // Flips a byte of the first hash of every consistency proof.
  kBadConsistencyProof,
  // Signs checkpoints with another key under the log's name.
  kWrongSignature,
  // Serves the note set by set_rollback_note as its latest checkpoint.
  kRollback,
  // Flips the last byte of every leaf GetEntries returns.
  kTamperedLeaf,
  // Signs checkpoints with another key and claims, in GetLogKeys, a rotation
  // to it whose handover checkpoint the real log key did not sign.
  kForgedRotation,
  // Like kForgedRotation, but the real log key does sign the handover; the
  // LogKey leaf it reports is not the one in the tree.
  kRotationNotIncluded,
  // Answers Ingest.GetOwnKeyState with the admin key's state, whatever key
  // was asked about.
  kAnotherKeyState,
};

class FakeLedgerServer {
 public:
  // A fresh ledger with one enrolled collector key, and the server.
  static absl::StatusOr<std::unique_ptr<FakeLedgerServer>> Start();
  ~FakeLedgerServer();

  // A new plaintext channel to the server.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  // The log's real verifier key.
  std::string verifier_key() const;
  ledger::testonly::LedgerFixture& fixture();
  // The collector's signer (its next sequence number advances as it signs).
  ledger::EntrySigner& collector();

  // Signs a payload with the collector key (IntervalReport type).
  std::string SignEnvelope(const std::string& payload);
  // Appends `n` collector entries to the honest ledger directly and
  // publishes a checkpoint.
  absl::Status AppendAndPublish(int n);

  void set_misbehaviour(Misbehaviour misbehaviour);
  void set_rollback_note(std::string note);
  // Every checkpoint note served (GetCheckpoint, GetProofReceipt) is first
  // passed through `cosign`, which returns it with cosignature lines
  // appended, as a log with a witness policy publishes it. Null: served as
  // signed.
  void set_cosign(std::function<std::string(const std::string& note)> cosign);
  // Builds the tree served in kForkedTree mode: the first `shared` leaves
  // of the honest log, then `extra` leaves of its own.
  absl::Status BuildFork(uint64_t shared, uint64_t extra);

  // Implementation detail, public only so the service classes can name it.
  struct State;

 private:
  FakeLedgerServer() = default;

  std::unique_ptr<State> state_;
};

}  // namespace client_test

#endif  // TESTS_CLIENT_FAKE_LEDGER_SERVER_H_
