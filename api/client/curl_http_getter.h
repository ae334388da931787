// CurlHttpGetter: HttpGetter over libcurl (Debian libcurl4-openssl-dev).
// One easy handle is reused, so successive GETs to one server share a
// keep-alive connection (HTTP/1.1, or HTTP/2 over TLS when offered); gzip
// and deflate are accepted and decoded; TLS is verified against the system
// roots. Timeouts bound a slow or silent server. Post() sends a body and
// returns any status with its body (the tlog-witness client needs 409s).
//
// Not thread-safe: one getter per thread.
#ifndef API_CLIENT_CURL_HTTP_GETTER_H_
#define API_CLIENT_CURL_HTTP_GETTER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/client/http_getter.h"

namespace api::client {

struct CurlHttpGetterOptions {
  // Time to connect (TCP and TLS). Default: 10 s.
  absl::Duration connect_timeout = absl::Seconds(10);
  // A transfer slower than 1 KiB/s for this long is abandoned. Default: 30 s.
  absl::Duration stall_timeout = absl::Seconds(30);
  // Ask for compressed bodies (Accept-Encoding: gzip, deflate, ...); the
  // server then spends CPU compressing bundles, which over loopback costs
  // more than it saves. Default: true.
  bool accept_compressed = true;
  // Each transfer as a whole, connecting included; 0: no limit (the stall
  // timeout still applies). Default: 0.
  absl::Duration total_timeout = absl::ZeroDuration();
};

// A response of any status.
struct HttpAnswer {
  int status = 0;
  std::string content_type;  // "" when the server sent none
  std::string body;
};

class CurlHttpGetter : public HttpGetter {
 public:
  // kInternal when libcurl cannot be initialised.
  static absl::StatusOr<std::unique_ptr<CurlHttpGetter>> Create(
      CurlHttpGetterOptions options = {});
  ~CurlHttpGetter() override;

  absl::StatusOr<std::string> Get(absl::string_view url,
                                  size_t max_bytes) override;

  // POSTs `body` (with `content_type`) to `url` and returns the answer,
  // whatever its status. kUnavailable naming the URL when there is none
  // (connection, timeout) or its body is longer than `max_bytes`.
  absl::StatusOr<HttpAnswer> Post(absl::string_view url,
                                  absl::string_view content_type,
                                  absl::string_view body, size_t max_bytes);

 private:
  explicit CurlHttpGetter(void* curl) : curl_(curl) {}
  // The transfer set up by Get or Post; any status.
  absl::StatusOr<HttpAnswer> Perform(absl::string_view method,
                                     absl::string_view url, size_t max_bytes);

  void* curl_;  // CURL*, owned
};

}  // namespace api::client

#endif  // API_CLIENT_CURL_HTTP_GETTER_H_
