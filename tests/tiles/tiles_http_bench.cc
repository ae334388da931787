// HTTP/1.1 keep-alive GET load generator for the tlog-tiles benchmark
// (tiles_bench.sh): each of --connections threads opens one connection to
// 127.0.0.1:--port and GETs --path in a loop for --seconds; prints requests/s
// and MB/s of body. Not a test: figures go in docs/PERFORMANCE.md.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"

ABSL_FLAG(int, port, 0, "server port on 127.0.0.1");
ABSL_FLAG(std::string, path, "/tile/0/000", "path to GET");
ABSL_FLAG(int, connections, 4, "concurrent keep-alive connections");
ABSL_FLAG(double, seconds, 3, "duration");
ABSL_FLAG(std::string, label, "", "printed first");

namespace {

std::atomic<bool> stop{false};

// One connection's loop: returns (responses, body bytes); exits on error.
void Run(int port, const std::string& path, uint64_t* requests,
         uint64_t* bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::string buf;
  char chunk[65536];
  while (!stop.load(std::memory_order_relaxed)) {
    if (send(fd, request.data(), request.size(), 0) !=
        static_cast<ssize_t>(request.size())) {
      std::perror("send");
      std::exit(1);
    }
    size_t header_end;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        std::fprintf(stderr, "connection closed\n");
        std::exit(1);
      }
      buf.append(chunk, n);
    }
    if (buf.compare(0, 12, "HTTP/1.1 200") != 0) {
      std::fprintf(stderr, "not 200: %s\n", buf.substr(0, 40).c_str());
      std::exit(1);
    }
    size_t length = 0;
    const size_t at = buf.find("ength: ");  // Content-Length / content-length
    if (at == std::string::npos || at > header_end ||
        !absl::SimpleAtoi(buf.substr(at + 7, buf.find("\r\n", at) - at - 7),
                          &length)) {
      std::fprintf(stderr, "no Content-Length\n");
      std::exit(1);
    }
    const size_t total = header_end + 4 + length;
    while (buf.size() < total) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        std::fprintf(stderr, "connection closed in body\n");
        std::exit(1);
      }
      buf.append(chunk, n);
    }
    buf.erase(0, total);
    ++*requests;
    *bytes += length;
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int n = absl::GetFlag(FLAGS_connections);
  std::vector<uint64_t> requests(n), bytes(n);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    threads.emplace_back(Run, absl::GetFlag(FLAGS_port),
                         absl::GetFlag(FLAGS_path), &requests[i], &bytes[i]);
  }
  std::this_thread::sleep_for(
      std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds)));
  stop = true;
  for (auto& t : threads) t.join();
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  uint64_t r = 0, b = 0;
  for (int i = 0; i < n; ++i) {
    r += requests[i];
    b += bytes[i];
  }
  std::printf("%s %s: %.0f requests/s, %.1f MB/s (%d connections, %.1f s)\n",
              absl::GetFlag(FLAGS_label).c_str(),
              absl::GetFlag(FLAGS_path).c_str(), r / s, b / s / 1e6, n, s);
  return 0;
}
