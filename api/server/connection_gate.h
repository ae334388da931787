// The server's own accept loop, so that peers cannot take the descriptors
// storage needs. gRPC 1.51 accepts until EMFILE and has no cap on incoming
// connections (GRPC_ARG_MAX_ALLOWED_INCOMING_CONNECTIONS came later): issue
// 14 saw ~960 idle connections pin a 1,024 limit, after which gRPC never
// accepted again and RocksDB failed every append with EMFILE.
//
// The gate owns the listening socket, accepts only while at least
// `fd_reserve` descriptors stay free and the process holds fewer than
// `max_connections` descriptors more than when the gate started, and hands
// each accepted connection to gRPC (ExternalConnectionAcceptor), which runs
// the TLS handshake with the server's credentials. Peers beyond the cap wait
// in the kernel's listen backlog (no descriptor of ours) until connections
// close: dropped at the handshake (no client certificate), by the handshake
// timeout, the idle timeout or the age limit (transport_limits.h).
//
// Thread-safe; one accept thread, stopped by Stop() or the destructor.
#ifndef API_SERVER_CONNECTION_GATE_H_
#define API_SERVER_CONNECTION_GATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/server_builder.h"

namespace api::server {

struct ConnectionGateOptions {
  // Descriptors that must stay free for storage and the process. Default:
  // 256.
  uint64_t fd_reserve = 256;
  // At most this many descriptors beyond those open when the gate started
  // (≈ concurrent connections, including ones in their handshake). 0: only
  // the reserve bounds them. Default: 0.
  uint64_t max_connections = 0;
};

class ConnectionGate {
 public:
  // Binds and listens on `address` (host:port, [v6]:port; port 0 picks a
  // free port). kInvalidArgument for a malformed address, kUnavailable when
  // it cannot be bound.
  static absl::StatusOr<std::unique_ptr<ConnectionGate>> Listen(
      const std::string& address, ConnectionGateOptions options);
  ~ConnectionGate();

  int port() const { return port_; }

  // Starts accepting; every connection goes to `acceptor`.
  void Start(
      std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor);
  // Stops accepting and closes the listening socket. Idempotent.
  void Stop();

  // Times the gate held back accepting because of the caps.
  uint64_t throttled() const { return throttled_.load(); }

  // Closes the connection whose peer is `peer` in gRPC's URI form
  // (grpc::ServerContext::peer(): "ipv4:127.0.0.1:54321", "ipv6:[::1]:5"):
  // shutdown(2) of its socket, so that gRPC drops it with every call on it
  // and reads nothing more from it (issue 14 item 4: a tenant deep in
  // bad-signature backoff). The socket is checked to still belong to that
  // peer first (gRPC may have closed it and the number been reused). True
  // when a connection was shut down.
  bool Sever(const std::string& peer);

 private:
  ConnectionGate() = default;
  void Run();
  bool Admit();

  ConnectionGateOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  uint64_t base_open_ = 0;
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> throttled_{0};
  std::thread thread_;
  // Peer (gRPC URI form) → descriptor of each connection handed to gRPC.
  // Entries of connections gRPC closed are pruned when the map grows.
  absl::Mutex peers_mu_;
  absl::flat_hash_map<std::string, int> peers_ ABSL_GUARDED_BY(peers_mu_);
  size_t prune_at_ ABSL_GUARDED_BY(peers_mu_) = 1024;
};

}  // namespace api::server

#endif  // API_SERVER_CONNECTION_GATE_H_
