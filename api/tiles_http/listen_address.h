// Parses the "HOST:PORT" listen addresses of the libmicrohttpd servers (the
// tiles port, the witness). Thread-safe (pure function).
#ifndef API_TILES_HTTP_LISTEN_ADDRESS_H_
#define API_TILES_HTTP_LISTEN_ADDRESS_H_

#include <netinet/in.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace api::tiles_http {

// HOST is an IPv4 address or "localhost"; PORT 0..65535 (0: any free port).
// kInvalidArgument naming the problem otherwise.
absl::StatusOr<sockaddr_in> ParseListenAddress(absl::string_view address);

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_LISTEN_ADDRESS_H_
