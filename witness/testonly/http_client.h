// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to
// 127.0.0.1, for tests and the benchmark: requests with a Content-Length
// body, responses with a Content-Length body (what libmicrohttpd sends for
// the witness). Not thread-safe: one client per thread.
#ifndef WITNESS_TESTONLY_HTTP_CLIENT_H_
#define WITNESS_TESTONLY_HTTP_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace witness::testonly {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request, (re)connecting when needed; kUnavailable when the
  // server cannot be reached or closes the connection mid-reply.
  absl::StatusOr<HttpReply> Request(absl::string_view method,
                                    absl::string_view path,
                                    absl::string_view body = "");

 private:
  absl::Status Connect();
  void Close();

  int port_;
  int fd_ = -1;
};

}  // namespace witness::testonly

#endif  // WITNESS_TESTONLY_HTTP_CLIENT_H_
