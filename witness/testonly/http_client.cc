#include "witness/testonly/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace witness::testonly {

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ssize_t HttpClient::Recv(char* buf, size_t size) {
  if (!busy_poll_) return ::recv(fd_, buf, size, 0);
  while (true) {
    const ssize_t n = ::recv(fd_, buf, size, MSG_DONTWAIT);
    if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return n;
    ::sched_yield();
  }
}

absl::Status HttpClient::Connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return absl::UnavailableError("socket failed");
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port_));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    const int e = errno;
    Close();
    return absl::UnavailableError(
        absl::StrCat("connect to port ", port_, ": ", std::strerror(e)));
  }
  return absl::OkStatus();
}

absl::StatusOr<HttpReply> HttpClient::Request(absl::string_view method,
                                              absl::string_view path,
                                              absl::string_view body) {
  const std::string request =
      absl::StrCat(method, " ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                   "Content-Length: ", body.size(), "\r\n\r\n", body);
  // A kept-alive connection the server closed is noticed on the first write
  // or read: retry once on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0) {
      if (absl::Status s = Connect(); !s.ok()) return s;
    }
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = ::send(fd_, request.data() + sent,
                               request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    std::string in;
    size_t header_end = std::string::npos;
    char buf[16384];
    bool failed = sent < request.size();
    while (!failed && header_end == std::string::npos) {
      const ssize_t n = Recv(buf, sizeof(buf));
      if (n <= 0) {
        failed = true;
        break;
      }
      in.append(buf, static_cast<size_t>(n));
      header_end = in.find("\r\n\r\n");
    }
    if (failed) {
      Close();
      if (attempt == 0 && in.empty()) continue;
      return absl::UnavailableError("connection closed before the reply");
    }
    HttpReply reply;
    size_t length = 0;
    bool close_after = false;
    std::vector<absl::string_view> lines =
        absl::StrSplit(absl::string_view(in).substr(0, header_end), "\r\n");
    std::vector<absl::string_view> status_line =
        absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
    if (status_line.size() < 2 ||
        !absl::SimpleAtoi(status_line[1], &reply.status)) {
      Close();
      return absl::UnavailableError(
          absl::StrCat("bad status line: ", lines[0]));
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      const size_t colon = lines[i].find(':');
      if (colon == absl::string_view::npos) continue;
      const std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
      const absl::string_view value =
          absl::StripAsciiWhitespace(lines[i].substr(colon + 1));
      if (name == "content-length") {
        absl::SimpleAtoi(value, &length);
      } else if (name == "content-type") {
        reply.content_type = std::string(value);
      } else if (name == "connection") {
        close_after = absl::AsciiStrToLower(value) == "close";
      }
    }
    reply.body = in.substr(header_end + 4);
    while (reply.body.size() < length) {
      const ssize_t n = Recv(buf, sizeof(buf));
      if (n <= 0) {
        Close();
        return absl::UnavailableError("connection closed mid-body");
      }
      reply.body.append(buf, static_cast<size_t>(n));
    }
    if (close_after) Close();
    return reply;
  }
  return absl::UnavailableError("no reply");
}

}  // namespace witness::testonly
