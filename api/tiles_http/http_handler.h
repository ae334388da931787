// HttpHandler: one HTTP request → one response, as a pure function (no
// sockets), so that every status, header and body is unit-tested;
// tile_http_server.h is the libmicrohttpd glue that serves one. The tiles
// endpoint (tile_handler.h) is one; the server's /metrics wraps it
// (api/server/metrics_http_handler.h), so both share one port and one
// connection-limited thread pool.
#ifndef API_TILES_HTTP_HTTP_HANDLER_H_
#define API_TILES_HTTP_HTTP_HANDLER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace api::tiles_http {

struct HttpRequest {
  std::string method;           // "GET", "HEAD", ...
  std::string path;             // without the query string, e.g. "/tile/0/000"
  std::string if_none_match;    // the header's value, "" when absent
  std::string accept_encoding;  // the header's value, "" when absent
};

struct HttpResponse {
  int status = 200;
  // In order; names as sent. Content-Length is the server's business.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body; for HEAD, the body a GET would get (its length is sent, its
  // bytes are not: `head` is then true).
  std::string body;
  bool head = false;

  // The value of header `name` (case-sensitive), "" when absent.
  std::string Header(absl::string_view name) const;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Thread-safe: called from the server's threads at once.
  virtual HttpResponse Handle(const HttpRequest& request) const = 0;
};

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_HTTP_HANDLER_H_
