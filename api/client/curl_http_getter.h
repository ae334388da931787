// CurlHttpGetter: HttpGetter over libcurl (Debian libcurl4-openssl-dev).
// One easy handle is reused, so successive GETs to one server share a
// keep-alive connection (HTTP/1.1, or HTTP/2 over TLS when offered); gzip
// and deflate are accepted and decoded; TLS is verified against the system
// roots. Timeouts bound a slow or silent server.
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
};

class CurlHttpGetter : public HttpGetter {
 public:
  // kInternal when libcurl cannot be initialised.
  static absl::StatusOr<std::unique_ptr<CurlHttpGetter>> Create(
      CurlHttpGetterOptions options = {});
  ~CurlHttpGetter() override;

  absl::StatusOr<std::string> Get(absl::string_view url,
                                  size_t max_bytes) override;

 private:
  explicit CurlHttpGetter(void* curl) : curl_(curl) {}

  void* curl_;  // CURL*, owned
};

}  // namespace api::client

#endif  // API_CLIENT_CURL_HTTP_GETTER_H_
