#include "api/tiles_http/http_handler.h"

namespace api::tiles_http {

std::string HttpResponse::Header(absl::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "";
}

}  // namespace api::tiles_http
