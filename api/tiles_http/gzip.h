// gzip (RFC 1952) compression through zlib, for HTTP Content-Encoding.
// Thread-safe (pure functions).
#ifndef API_TILES_HTTP_GZIP_H_
#define API_TILES_HTTP_GZIP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace api::tiles_http {

// `data` gzip-compressed at the default level. kInternal if zlib fails.
absl::StatusOr<std::string> Gzip(absl::string_view data);

// True when an Accept-Encoding header value accepts gzip: it lists "gzip"
// (or "*") without "q=0".
bool AcceptsGzip(absl::string_view accept_encoding);

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_GZIP_H_
