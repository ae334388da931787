// WitnessHttpServer: serves HandleWitnessRequest over HTTP/1.1 with
// libmicrohttpd (as api/tiles_http does for tiles). Keep-alive connections; a
// fixed thread pool (epoll); each request runs on a pool thread, which waits
// while the witness syncs its state, so `threads` bounds the requests in
// flight (requests for different origins share RocksDB's group commit).
// Request bodies above max_body_bytes are answered 413 without being kept.
//
// Thread-safe. The witness is not owned and must outlive the server.
#ifndef WITNESS_WITNESS_HTTP_SERVER_H_
#define WITNESS_WITNESS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "witness/witness.h"

struct MHD_Daemon;

namespace witness {

struct WitnessHttpServerOptions {
  // "HOST:PORT", HOST an IPv4 address or "localhost"; port 0 picks a free
  // one (see port()). Default: "127.0.0.1:0".
  std::string listen_address = "127.0.0.1:0";
  // URL prefix of every path: "" or "/name" (no final '/'). Default: "".
  std::string prefix;
  // Threads serving requests. Default: 8.
  unsigned threads = 8;
  // Open connections at most; more are closed on accept. Default: 256.
  unsigned max_connections = 256;
  // A connection idle this long is closed. Default: 30 s.
  absl::Duration idle_timeout = absl::Seconds(30);
  // Largest request body (a checkpoint with 100 signature lines and 63 proof
  // lines is under 16 KiB). Default: 64 KiB.
  size_t max_body_bytes = 64 << 10;
  // Called on a serving thread for every answer, before it is sent: the
  // request's method and path, the status and the time since its headers
  // arrived (witness_metrics.h counts them). Default: none.
  std::function<void(absl::string_view method, absl::string_view path,
                     int status, absl::Duration elapsed)>
      on_response;
};

class WitnessHttpServer {
 public:
  // Binds and starts serving. kInvalidArgument for a malformed address,
  // prefix or option; kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<WitnessHttpServer>> Start(
      Witness* witness, const WitnessHttpServerOptions& options);
  // Stops accepting, closes every connection and joins the threads.
  ~WitnessHttpServer();

  int port() const { return port_; }

 private:
  WitnessHttpServer() = default;

  Witness* witness_ = nullptr;
  WitnessHttpServerOptions options_;
  MHD_Daemon* daemon_ = nullptr;
  void* context_ = nullptr;  // Owned; what libmicrohttpd's callback reads.
  int port_ = 0;
};

}  // namespace witness

#endif  // WITNESS_WITNESS_HTTP_SERVER_H_
