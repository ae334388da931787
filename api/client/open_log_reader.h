// OpenLogReader: the one place that turns "where is the log" (command-line
// flags of ledgerctl, compliance_check, the report) into a LogReader:
//   - a ledger folder (`dir`, or a Ledger the caller already opened),
//   - a ledger server over gRPC (`server`, verified with `vkey`),
//   - C2SP tlog-tiles over HTTP: issue 16 adds its source here (one more
//     field below and one more branch in OpenLogReader), nowhere else.
// Callers then read every source the same way.
//
// Not thread-safe (one command, one thread).
#ifndef API_CLIENT_OPEN_LOG_READER_H_
#define API_CLIENT_OPEN_LOG_READER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/client/ledger_client.h"
#include "api/client/log_reader.h"
#include "api/client/witness_quorum_check.h"
#include "grpcpp/channel.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"

namespace api::client {

struct LogSourceOptions {
  // ---- Which source: `server` when set, else the folder.
  // A ledger server, host:port. Default: "".
  std::string server;
  // A ledger folder (made by ledgerctl init), opened read-only. Default: "".
  std::string dir;
  // A ledger this process already opened (e.g. read-write, to record into
  // it), read instead of opening `dir` again (which then only names it). Not
  // owned; must outlive the reader. Default: null.
  const ledger::Ledger* open_ledger = nullptr;
  // C2SP tlog-tiles under this URL (http:// or https://), verified with
  // `vkey` (required) and `trusted_dir`. Default: "".
  std::string tiles_url;

  // ---- Folder: LedgerOptions::signed_state_dir. Default: "".
  std::string signed_state_dir;

  // ---- Server.
  // The log's note verifier key. Required unless trust_on_first_use.
  std::string vkey;
  // Take the verifier key from the server's Admin.GetStatus when `vkey` is
  // empty (the first server reached is trusted, as ssh does with host
  // keys). Default: false.
  bool trust_on_first_use = false;
  // The client's trusted-checkpoint store ("" = in memory only).
  std::string trusted_dir;
  // TLS PEM files (api/client/channel.h). Plaintext only to a loopback
  // target without `tls_ca` and `tls_cert`.
  std::string tls_ca, tls_cert, tls_key;

  // ---- Server and tiles: witnessing (witness_quorum_check.h).
  // A tlog-policy file: checkpoints are accepted only when the policy's
  // quorum cosigned them (--policy). Refused with a folder, which is the
  // operator's own log and carries no cosignatures. Default: "" (none).
  std::string policy_file;
  // The same, already parsed; wins over `policy_file`. Default: null.
  std::shared_ptr<const WitnessPolicy> witness_policy;
};

// A verifying client of `options.server` and its channel (for the services
// LedgerClient does not wrap).
struct ConnectedClient {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<LedgerClient> client;
};

// kInvalidArgument when `vkey` is missing without trust_on_first_use, for
// bad TLS options, or a bad policy file (or one that does not list the log);
// kFailedPrecondition when trusting on first use and the server reports no key;
// the client's errors otherwise.
absl::StatusOr<ConnectedClient> ConnectLedgerClient(
    const LogSourceOptions& options);

// A reader and what only some sources can do besides reading.
struct OpenedLog {
  std::unique_ptr<LogReader> reader;
  // The log's current note verifier key (the folder's own, the server's
  // client's, or the one passed for tiles), for a report to print.
  std::string verifier_key;
  // Verifies a checkpoint note kept from an earlier run (`grew --since`)
  // under the log keys this source trusts, without reconciling it.
  // kDataLoss when it does not verify.
  std::function<absl::StatusOr<VerifiedCheckpoint>(absl::string_view note)>
      verify_note;
  // The index of the leaf with RFC 6962 hash `leaf_hash` in `at`'s tree
  // (kNotFound when absent); null where the source cannot look leaves up
  // by hash.
  std::function<absl::StatusOr<uint64_t>(const ledger::merkle::Hash& leaf_hash,
                                         const VerifiedCheckpoint& at)>
      find_leaf;
};

// Whether `options` names a local ledger folder (which also has
// storage-level checks: ledger/audit.h, the signed state).
bool IsFolderSource(const LogSourceOptions& options);

// Opens the source `options` names. kInvalidArgument when none is named, or
// a policy is given with a folder;
// the source's errors (Ledger::Open, ConnectLedgerClient) otherwise.
absl::StatusOr<OpenedLog> OpenLogReader(const LogSourceOptions& options);

}  // namespace api::client

#endif  // API_CLIENT_OPEN_LOG_READER_H_
