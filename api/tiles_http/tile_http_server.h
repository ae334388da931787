// TileHttpServer: serves an HttpHandler (the tiles endpoint, and in
// ledger_server also /metrics) over HTTP/1.1 with libmicrohttpd (Debian
// libmicrohttpd12). Thin glue: it copies method, path and the two request
// headers the handler reads into an HttpRequest, and the handler's
// HttpResponse back. libmicrohttpd bounds the resources: a fixed thread pool
// (epoll), a limit on open connections (more are accepted and closed at
// once), per-connection memory, and an idle timeout that closes slow or
// silent clients. No write method exists (the handler answers 405).
//
// Thread-safe. The handler is not owned and must outlive the server.
#ifndef API_TILES_HTTP_TILE_HTTP_SERVER_H_
#define API_TILES_HTTP_TILE_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/tiles_http/http_handler.h"

struct MHD_Daemon;

namespace api::tiles_http {

struct TileHttpServerOptions {
  // "HOST:PORT", HOST an IPv4 address or "localhost"; port 0 picks a free
  // one (see port()). Default: "127.0.0.1:0".
  std::string listen_address = "127.0.0.1:0";
  // Threads serving requests (each runs its own epoll loop). Default: 4.
  unsigned threads = 4;
  // Open connections at most, over all threads; more are closed on accept.
  // Default: 256.
  unsigned max_connections = 256;
  // Open connections from one IP address at most (0: no limit). Default: 0.
  unsigned max_connections_per_ip = 0;
  // A connection idle this long (no request bytes, or not reading the
  // response) is closed. Default: 10 s.
  absl::Duration idle_timeout = absl::Seconds(10);
  // Memory per connection for the request (headers) and buffering. A request
  // whose headers do not fit is answered 431/413 by libmicrohttpd.
  // Default: 32 KiB.
  size_t connection_memory_bytes = 32 << 10;
};

class TileHttpServer {
 public:
  // Binds and starts serving. kInvalidArgument for a malformed address or
  // option; kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<TileHttpServer>> Start(
      const HttpHandler* handler, const TileHttpServerOptions& options);
  // Stops accepting, closes every connection and joins the threads.
  ~TileHttpServer();

  int port() const { return port_; }

 private:
  TileHttpServer() = default;

  const HttpHandler* handler_ = nullptr;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_TILE_HTTP_SERVER_H_
