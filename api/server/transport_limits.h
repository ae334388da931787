// What one peer may hold of the server: connection lifetimes, streams per
// connection, memory and threads (a gRPC ResourceQuota). Issue 14: ~960 idle
// HTTP/2 connections pinned every descriptor of a 1,024 limit; gRPC never
// accepted again and RocksDB failed every append with EMFILE.
//
// gRPC 1.51 has no cap on concurrent incoming connections
// (GRPC_ARG_MAX_ALLOWED_INCOMING_CONNECTIONS came later). Connections are
// bounded instead by: the client-certificate requirement at the handshake (a
// peer without one is dropped after the handshake), the handshake timeout
// (a peer that never completes it), the idle timeout and age limit, and a
// descriptor limit far above what storage needs (descriptor_budget.h).
#ifndef API_SERVER_TRANSPORT_LIMITS_H_
#define API_SERVER_TRANSPORT_LIMITS_H_

#include <cstddef>

#include "absl/time/time.h"

namespace grpc {
class ServerBuilder;
}

namespace api::server {

struct TransportLimits {
  // A peer must finish the TLS (or plaintext HTTP/2) handshake within this.
  // Default: 10 s.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A connection without calls for this long is closed (GOAWAY). Clients
  // reconnect on their next call. Default: 5 min.
  absl::Duration max_connection_idle = absl::Minutes(5);
  // Every connection is closed after this long (then `age_grace` for its
  // calls to finish; WatchFindings streams resume after reconnecting).
  // Default: 1 h, grace 1 min.
  absl::Duration max_connection_age = absl::Hours(1);
  absl::Duration max_connection_age_grace = absl::Minutes(1);
  // Concurrent calls (streams) per connection. Default: 100.
  int max_concurrent_streams = 100;
  // gRPC's memory quota for the transport (buffers, per-call arenas); over
  // it gRPC stops reading from connections. Default: 1 GiB.
  size_t quota_memory_bytes = size_t{1} << 30;
  // Threads gRPC may run for the server (callback handlers and I/O).
  // Default: 64.
  int max_threads = 64;
};

// Sets `limits` on `builder` (channel arguments and a ResourceQuota).
void ApplyTransportLimits(const TransportLimits& limits,
                          grpc::ServerBuilder* builder);

}  // namespace api::server

#endif  // API_SERVER_TRANSPORT_LIMITS_H_
