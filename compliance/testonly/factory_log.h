// A factory's log for Office tests: a real ledger (ledger/testonly fixture:
// RocksDB in a temporary folder, real Ed25519 signatures, the real
// admission rule) with a collector key, provider keys that can be the same
// key at several factories (derived from a seed), and the helpers to write
// a declaration and a measured run. Leaves() returns the exact leaf bytes an
// office monitor would have verified.
#ifndef COMPLIANCE_TESTONLY_FACTORY_LOG_H_
#define COMPLIANCE_TESTONLY_FACTORY_LOG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "ledger/entry_signer.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/provider.pb.h"

namespace compliance::testonly {

// A measured run: `intervals` IntervalReports of equal compute and energy,
// one per hour from `start`, after a RunStarted naming `model_id`.
struct RunSpec {
  std::string run_id;
  std::string model_id;
  std::string account = "acct";
  absl::Time start;
  double flop = 0;  // in total (lower = upper)
  double energy_joules = 0;
  int intervals = 3;
};

class FactoryLog {
 public:
  static absl::StatusOr<std::unique_ptr<FactoryLog>> Create(
      const std::string& origin);

  // Enrols the provider key derived from `seed` (the same seed gives the
  // same key at every factory) under `organisation`; `name` picks it later.
  absl::Status EnrolProvider(const std::string& name, uint8_t seed,
                             const std::string& organisation);
  // Enrols a fresh key with `role` under `organisation` and writes its
  // secret key file into the ledger's folder; returns the file's path.
  // `tls_identity`: the client certificate CN a server binds it to.
  absl::StatusOr<std::string> EnrolKeyFile(
      aifl::ledger::v1::Role role, const std::string& organisation,
      const std::string& name, const std::string& tls_identity = "");
  // Signs `payload` with provider `name`'s key at `when`; its leaf index.
  absl::StatusOr<uint64_t> Provider(const std::string& name,
                                    const google::protobuf::Message& payload,
                                    absl::Time when);
  // Signs `payload` with the collector key at `when`.
  absl::StatusOr<uint64_t> Collector(const google::protobuf::Message& payload,
                                     absl::Time when);
  // Writes `run` (integration times from run.start on, each record an hour
  // apart); returns the RunStarted's leaf index.
  absl::StatusOr<uint64_t> Run(const RunSpec& run);

  const std::string& origin() const { return origin_; }
  // The ledger's folder; Close() releases it for another reader.
  const std::string& dir() const { return fixture_->dir(); }
  void Close() { fixture_->Close(); }
  ledger::Ledger& ledger() { return fixture_->ledger(); }
  absl::StatusOr<std::vector<std::string>> Leaves();

 private:
  absl::StatusOr<uint64_t> Append(ledger::EntrySigner& signer,
                                  const google::protobuf::Message& payload,
                                  absl::Time when);

  std::string origin_;
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  std::map<std::string, std::unique_ptr<ledger::EntrySigner>> providers_;
};

// rules' test declaration (an EU provider's text model, every tri-state fact
// declared, not placed) by `provider`, meant for the EU market.
aifl::provider::v1::ModelDeclaration Declaration(const std::string& model_id,
                                                 const std::string& provider);

}  // namespace compliance::testonly

#endif  // COMPLIANCE_TESTONLY_FACTORY_LOG_H_
