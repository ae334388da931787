// MetricsHttpHandler: `GET|HEAD /metrics` answers ServerMetrics::Scrape() in
// the Prometheus text exposition format (version 0.0.4); every other request
// goes to `next` (the tlog-tiles endpoint), so /metrics shares the server's
// one HTTP port (--http_listen), its thread pool and connection limits.
// Other methods on /metrics get 405. The port is plain HTTP: the metrics hold
// counts and sizes only, no identities.
//
// Thread-safe. Neither pointer is owned; both outlive the handler.
#ifndef API_SERVER_METRICS_HTTP_HANDLER_H_
#define API_SERVER_METRICS_HTTP_HANDLER_H_

#include "api/server/server_metrics.h"
#include "api/tiles_http/http_handler.h"

namespace api::server {

class MetricsHttpHandler final : public tiles_http::HttpHandler {
 public:
  static constexpr char kPath[] = "/metrics";
  static constexpr char kContentType[] =
      "text/plain; version=0.0.4; charset=utf-8";

  MetricsHttpHandler(ServerMetrics* metrics,
                     const tiles_http::HttpHandler* next)
      : metrics_(metrics), next_(next) {}

  tiles_http::HttpResponse Handle(
      const tiles_http::HttpRequest& request) const override;

 private:
  ServerMetrics* const metrics_;
  const tiles_http::HttpHandler* const next_;
};

}  // namespace api::server

#endif  // API_SERVER_METRICS_HTTP_HANDLER_H_
