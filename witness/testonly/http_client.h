// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to
// 127.0.0.1, for tests and the benchmark: requests with a Content-Length
// body, responses with a Content-Length body (what libmicrohttpd sends for
// the witness). Not thread-safe: one client per thread.
#ifndef WITNESS_TESTONLY_HTTP_CLIENT_H_
#define WITNESS_TESTONLY_HTTP_CLIENT_H_

#include <sys/types.h>

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
  // `busy_poll`: wait for replies by polling the socket (non-blocking recv,
  // sched_yield) instead of sleeping in recv. For the benchmark: over
  // loopback, a client asleep in recv is woken by the server's send, on the
  // server's CPU (an inter-processor interrupt, ~15 us in a VM), a cost a
  // client across a network puts on its own machine.
  explicit HttpClient(int port, bool busy_poll = false)
      : port_(port), busy_poll_(busy_poll) {}
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
  // recv(2), or with busy_poll_ a loop of non-blocking ones.
  ssize_t Recv(char* buf, size_t size);

  int port_;
  bool busy_poll_;
  int fd_ = -1;
};

}  // namespace witness::testonly

#endif  // WITNESS_TESTONLY_HTTP_CLIENT_H_
