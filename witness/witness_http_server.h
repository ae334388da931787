// WitnessHttpServer: serves HandleWitnessRequest over HTTP/1.1 with
// libmicrohttpd (as api/tiles_http does for tiles). Keep-alive connections,
// served by `threads` event loops, each a thread running its own
// libmicrohttpd daemon (epoll) on connections it accepted from the shared
// listening socket. A loop handles every request that arrived in one round
// of its epoll, then stores the states of all the add-checkpoints that
// passed in one synced write (Witness::Batch) and only then answers them:
// one write, one sync and one epoll_wait per round instead of per request
// (issue 17).
// Request bodies above max_body_bytes are answered 413 without being kept.
//
// Thread-safe. The witness is not owned and must outlive the server.
#ifndef WITNESS_WITNESS_HTTP_SERVER_H_
#define WITNESS_WITNESS_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "witness/witness.h"

namespace witness {

struct WitnessHttpServerOptions {
  // "HOST:PORT", HOST an IPv4 address or "localhost"; port 0 picks a free
  // one (see port()). Default: "127.0.0.1:0".
  std::string listen_address = "127.0.0.1:0";
  // URL prefix of every path: "" or "/name" (no final '/'). Default: "".
  std::string prefix;
  // Event loops (threads) serving requests; 0: one per CPU this process may
  // run on (its affinity mask). A loop per core batches the most; more
  // loops share the cores and RocksDB's group commit. Default: 0.
  unsigned threads = 0;
  // Open connections at most (divided among the loops); more are closed on
  // accept. Default: 256.
  unsigned max_connections = 256;
  // A connection idle this long is closed. Default: 30 s.
  absl::Duration idle_timeout = absl::Seconds(30);
  // Largest request body (a checkpoint with 100 signature lines and 63 proof
  // lines is under 16 KiB). Default: 64 KiB.
  size_t max_body_bytes = 64 << 10;
  // Called on a loop's thread for every answer, before it is sent: the
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
  // Answers the requests in progress, closes every connection and joins the
  // loops.
  ~WitnessHttpServer();

  int port() const { return port_; }
  // The event loops serving (options.threads, or the CPUs when 0).
  size_t loops() const { return loops_.size(); }

  struct Loop;  // witness_http_server.cc

 private:
  WitnessHttpServer() = default;

  Witness* witness_ = nullptr;
  WitnessHttpServerOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<Loop>> loops_;
  int port_ = 0;
};

}  // namespace witness

#endif  // WITNESS_WITNESS_HTTP_SERVER_H_
