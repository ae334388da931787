// The ledger's gRPC server: Ingest, Audit and Admin over one ledger, plus
// gRPC health checking and server reflection, a checkpoint publisher thread
// and the model/findings view. Either mTLS (client certificates verified
// against a CA, roles from the certificate; see api/README.md) or the
// explicit insecure loopback mode (127.0.0.1 / ::1 only, every caller is
// the local operator). In mTLS mode a peer without a valid client
// certificate fails the handshake; health checks without one use the
// optional loopback health port. Connections on the main port go through a
// ConnectionGate (descriptor reserve, connection cap) and TransportLimits;
// storage that failed for good turns health NOT_SERVING (StorageWatch).
//
// Thread-safe. Shutdown() lets in-flight calls finish, then publishes a
// final checkpoint.
#ifndef API_SERVER_LEDGER_SERVER_H_
#define API_SERVER_LEDGER_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/server/fairness_options.h"
#include "api/server/memory_trimmer.h"
#include "api/server/revocation_list.h"
#include "api/server/server_metrics.h"
#include "api/server/transport_limits.h"
#include "api/server/witness_collector.h"
#include "common/clock.h"
#include "ledger/ledger.h"
#include "ledger/witness_policy/policy.h"

namespace grpc {
class Server;
class ServerCredentials;
}  // namespace grpc

namespace api::index {
class IndexHost;
}  // namespace api::index

namespace api::server {

class AdminService;
class AuditService;
class CheckpointPublisher;
class ConnectionGate;
class FoldFollower;
class IngestService;
class LedgerModelView;
class StorageWatch;

struct ServerOptions {
  // host:port; port 0 picks a free port (see LedgerServer::port()).
  // Default: "127.0.0.1:0".
  std::string listen_address = "127.0.0.1:0";
  // Plaintext, loopback only, every caller the local operator. The listen
  // host must then be 127.0.0.1, [::1] or localhost. Default: false.
  bool insecure_loopback = false;
  // PEM files for mTLS: the server's certificate chain and key, and the CA
  // that signs client certificates. Required unless insecure_loopback.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // PEM CRL signed by the client CA: calls with a listed client certificate
  // get UNAUTHENTICATED (checked per call; see ReloadCrl). Optional; mTLS
  // only. Default: none.
  std::string tls_crl_file;
  // How often a checkpoint is published when the tree grew. Default: 1 s.
  absl::Duration checkpoint_interval = absl::Seconds(1);
  // The largest request accepted (RESOURCE_EXHAUSTED beyond). Default: 64 MiB.
  int max_receive_bytes = 64 << 20;
  // Workers of the append pipeline that verify Submit's signatures
  // (ledger/append_pipeline.h). Default: 0, IngestService's default.
  int verify_threads = 0;
  // Dates the status figures. Not owned. Default: the real clock.
  common::Clock* clock = nullptr;
  // Reported by Admin.GetStatus. Default: "dev".
  std::string version = "dev";
  // A second, plaintext port for health checks that need no client
  // certificate (load balancers, systemd, a local `grpc_health_probe`):
  // loopback only (127.0.0.1, [::1], localhost). Ledger methods on it answer
  // UNAUTHENTICATED in mTLS mode. Default: "" (none). Port 0 picks one
  // (see LedgerServer::health_port()).
  std::string health_listen_address;
  // Connection lifetimes, streams, memory and threads per server.
  TransportLimits transport;
  // Each caller identity's share: calls in flight, rates, streams.
  FairnessOptions fairness;
  // Freed heap memory goes back to the system after bursts (checked once a
  // checkpoint interval).
  MemoryTrimmer::Options memory_trim;
  // The main port accepts only while this many descriptors stay free
  // (connection_gate.h). Default: 64.
  uint64_t fd_reserve = 64;
  // At most this many connections (descriptors beyond those open at start)
  // on the main port; 0 = only fd_reserve bounds them. Default: 0.
  uint64_t max_connections = 0;
  // Called once (on a watch thread) when storage failed for good
  // (Ledger::StorageFailure); health is already NOT_SERVING then. The binary
  // stops and exits non-zero. Default: none.
  std::function<void(const absl::Status&)> on_storage_failure;
  // How often storage is checked. Default: 200 ms.
  absl::Duration storage_check_interval = absl::Milliseconds(200);
  // The rule pack of the server's fold of the log (LedgerModelView), which
  // a RulesRunner evaluates: give the runner's pack. Default: "" (the pack
  // built into the binary).
  std::string rules_pack_path;
  // Where the server counts calls, refusals and reads its gauges (served on
  // /metrics by the binary's HTTP port). Not owned; must outlive the server;
  // give the same object to the ledger as LedgerOptions::commit_observer.
  // Default: null (the server keeps its own, unserved).
  ServerMetrics* metrics = nullptr;
  // A tlog-policy whose witness lines carry URLs: after each new checkpoint
  // the server asks every witness to cosign it (WitnessCollector) and serves
  // the checkpoint with the cosignatures gathered. Default: none.
  std::optional<ledger::witness_policy::Policy> witness_policy;
  WitnessCollectorOptions witness_options;
  // With witness_policy: proof receipts (and the waits for them) only on a
  // checkpoint the policy's quorum cosigned. Default: true.
  bool wait_for_quorum = true;
  // --index_dir: opens the per-model index of the served ledger (called once
  // by Start). The server owns it, brings it up to date after each
  // checkpoint tick (on the fold's thread) and answers
  // Audit.GetModelEntries from it. Default: none (FAILED_PRECONDITION).
  std::function<absl::StatusOr<std::unique_ptr<api::index::IndexHost>>(
      const ledger::Ledger& served)>
      open_index;
  // With open_index: a tlog-policy whose witnesses are asked to cosign the
  // index's output log's checkpoints (after each index update), which its
  // /index/ tiles and Audit.GetModelEntries then serve with the
  // cosignatures. Default: none, and then witness_policy's witnesses are
  // asked (they must trust the output log's key too).
  std::optional<ledger::witness_policy::Policy> index_witness_policy;
};

class LedgerServer {
 public:
  // Starts serving `ledger` (not owned; must outlive the server).
  // kInvalidArgument for bad options (non-loopback insecure address, missing
  // TLS files), kUnavailable when the address cannot be bound,
  // kFailedPrecondition when the ledger cannot sign checkpoints (no log key,
  // a retired one, or a half-done log-key rotation: see
  // Ledger::CheckCanPublish); rules::LoadRulePack's errors for
  // rules_pack_path.
  static absl::StatusOr<std::unique_ptr<LedgerServer>> Start(
      ledger::Ledger* ledger, ServerOptions options);
  ~LedgerServer();

  // The bound port.
  int port() const { return port_; }
  // The bound health port; 0 without ServerOptions::health_listen_address.
  int health_port() const { return health_port_; }

  // The server's fold of the log, for a RulesRunner to evaluate. Owned by
  // the server.
  LedgerModelView* model_view() const { return models_.get(); }
  // The hosted per-model index; null without ServerOptions::open_index.
  // Owned by the server (a RulesRunner cites it).
  api::index::IndexHost* index() const { return index_.get(); }
  // The cosignature gatherer; null without ServerOptions::witness_policy.
  const WitnessCollector* witnesses() const { return witnesses_.get(); }
  // The hosted index's output log (its tiles are served under /index/:
  // server_http_handler.h); null without ServerOptions::open_index.
  const ledger::Ledger* index_output() const;
  // The output log's cosignature gatherer; null without an index or
  // without a witness policy for it.
  const WitnessCollector* index_witnesses() const {
    return index_witnesses_.get();
  }

  // Reads --tls_crl again (SIGHUP). On error the previous list stays in
  // force and the error is returned (see RevocationList::Load). OK and
  // nothing done without tls_crl_file.
  absl::Status ReloadCrl();

  // Stops accepting calls, waits up to `grace` for in-flight calls (then
  // cancels them), and publishes a final checkpoint; returns that publish's
  // status. Idempotent.
  absl::Status Shutdown(absl::Duration grace = absl::Seconds(10));

 private:
  LedgerServer() = default;

  // Start's steps, in order (see ledger_server.cc).
  absl::Status LoadCrl(const ServerOptions& options);
  absl::Status StartModelView(ledger::Ledger* ledger,
                              const ServerOptions& options);
  absl::Status StartIndex(ledger::Ledger* ledger, const ServerOptions& options);
  absl::Status StartWitnesses(ledger::Ledger* ledger, ServerOptions* options);
  void CreateServices(ledger::Ledger* ledger, ServerOptions* options);
  absl::Status Listen(const ServerOptions& options,
                      std::shared_ptr<grpc::ServerCredentials> credentials);
  void StartBackgroundWork(ledger::Ledger* ledger,
                           const ServerOptions& options);

  int port_ = 0;
  int health_port_ = 0;
  bool shut_down_ = false;
  std::string crl_file_;
  std::string client_ca_file_;
  RevocationList revocations_;
  std::unique_ptr<ServerMetrics> owned_metrics_;  // when none was given
  ServerMetrics* metrics_ = nullptr;
  std::unique_ptr<MemoryTrimmer> trimmer_;       // used by follower_'s thread
  std::unique_ptr<WitnessCollector> witnesses_;  // used by publisher_'s thread
  std::unique_ptr<CheckpointPublisher> publisher_;
  std::unique_ptr<LedgerModelView> models_;
  std::unique_ptr<api::index::IndexHost> index_;  // updated by follower_
  // Asked after each index update, on follower_'s thread.
  std::unique_ptr<WitnessCollector> index_witnesses_;
  // Catches models_ up and trims memory after each publisher tick, on its
  // own thread; destroyed before both (and stopped in Shutdown, after the
  // publisher that kicks it).
  std::unique_ptr<FoldFollower> follower_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ConnectionGate> gate_;
  std::unique_ptr<StorageWatch> storage_watch_;
  absl::Status final_status_;
};

}  // namespace api::server

#endif  // API_SERVER_LEDGER_SERVER_H_
