// HttpGetter: the one thing a tlog-tiles reader needs from HTTP — GET a URL
// into memory, bounded — behind an interface so readers can be tested and
// a transport can be swapped. CurlHttpGetter (curl_http_getter.h) is the
// real one.
#ifndef API_CLIENT_HTTP_GETTER_H_
#define API_CLIENT_HTTP_GETTER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace api::client {

class HttpGetter {
 public:
  virtual ~HttpGetter() = default;

  // The body of a 200 answer to GET `url`, decoded when the server sent it
  // compressed. Errors name the URL: kNotFound for 404 (a tile that is not
  // there, which a reader may look for elsewhere), kUnavailable for every
  // other failure (connection, timeout, another status, a body longer than
  // `max_bytes` after decoding).
  virtual absl::StatusOr<std::string> Get(absl::string_view url,
                                          size_t max_bytes) = 0;
};

}  // namespace api::client

#endif  // API_CLIENT_HTTP_GETTER_H_
