// The ledger's gRPC server: Ingest, Audit and Admin over one ledger, plus
// gRPC health checking and server reflection, a checkpoint publisher thread
// and the model/findings view. Either mTLS (client certificates verified
// against a CA, roles from the certificate; see api/README.md) or the
// explicit insecure loopback mode (127.0.0.1 / ::1 only, every caller is
// the local operator).
//
// Thread-safe. Shutdown() lets in-flight calls finish, then publishes a
// final checkpoint.
#ifndef API_SERVER_LEDGER_SERVER_H_
#define API_SERVER_LEDGER_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/server/revocation_list.h"
#include "common/clock.h"
#include "ledger/ledger.h"

namespace grpc {
class Server;
}

namespace api::server {

class AdminService;
class AuditService;
class CheckpointPublisher;
class IngestService;
class LedgerModelView;

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
  // Dates the status figures. Not owned. Default: the real clock.
  common::Clock* clock = nullptr;
  // Reported by Admin.GetStatus. Default: "dev".
  std::string version = "dev";
};

class LedgerServer {
 public:
  // Starts serving `ledger` (not owned; must outlive the server).
  // kInvalidArgument for bad options (non-loopback insecure address, missing
  // TLS files), kUnavailable when the address cannot be bound,
  // kFailedPrecondition when the ledger cannot sign checkpoints (no log key,
  // a retired one, or a half-done log-key rotation: see
  // Ledger::CheckCanPublish).
  static absl::StatusOr<std::unique_ptr<LedgerServer>> Start(
      ledger::Ledger* ledger, ServerOptions options);
  ~LedgerServer();

  // The bound port.
  int port() const { return port_; }

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

  int port_ = 0;
  bool shut_down_ = false;
  std::string crl_file_;
  std::string client_ca_file_;
  RevocationList revocations_;
  std::unique_ptr<CheckpointPublisher> publisher_;
  std::unique_ptr<LedgerModelView> models_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<grpc::Server> server_;
  absl::Status final_status_;
};

}  // namespace api::server

#endif  // API_SERVER_LEDGER_SERVER_H_
