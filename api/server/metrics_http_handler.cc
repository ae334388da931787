#include "api/server/metrics_http_handler.h"

namespace api::server {

tiles_http::HttpResponse MetricsHttpHandler::Handle(
    const tiles_http::HttpRequest& request) const {
  if (request.path != kPath) return next_->Handle(request);
  tiles_http::HttpResponse response;
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    response.headers = {{"Allow", "GET, HEAD"},
                        {"Content-Type", "text/plain; charset=utf-8"}};
    response.body = "405 method not allowed: /metrics is read-only\n";
    return response;
  }
  response.headers = {{"Content-Type", kContentType},
                      {"Cache-Control", "no-store"}};
  response.body = metrics_->Scrape();
  response.head = request.method == "HEAD";
  return response;
}

}  // namespace api::server
