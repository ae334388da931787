#include "api/server/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/server/descriptor_budget.h"
#include "api/server/log.h"

namespace api::server {
namespace {

absl::Status SplitHostPort(const std::string& address, std::string* host,
                           std::string* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address: got ", address, ", want host:port"));
  }
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']')
    *host = host->substr(1, host->size() - 2);
  // One socket is bound: make "localhost" the address clients use most.
  if (*host == "localhost") *host = "127.0.0.1";
  int number = 0;
  if (!absl::SimpleAtoi(*port, &number) || number < 0 || number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address: bad port in ", address));
  }
  return absl::OkStatus();
}

// The peer of socket `fd` as gRPC names it ("ipv4:a.b.c.d:port",
// "ipv6:[addr]:port"), or "" when it has none (closed, not connected).
std::string PeerName(int fd) {
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return "";
  }
  char host[INET6_ADDRSTRLEN] = {};
  if (peer.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&peer);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
    return absl::StrCat("ipv4:", host, ":", ntohs(a->sin_port));
  }
  if (peer.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&peer);
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {  // gRPC names these ipv4:
      ::inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], host, sizeof(host));
      return absl::StrCat("ipv4:", host, ":", ntohs(a->sin6_port));
    }
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
    return absl::StrCat("ipv6:[", host, "]:", ntohs(a->sin6_port));
  }
  return "";
}

}  // namespace

bool ConnectionGate::Sever(const std::string& peer) {
  absl::MutexLock lock(&peers_mu_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) return false;
  const int fd = it->second;
  peers_.erase(it);
  // gRPC owns the descriptor and closes it itself; shutdown only ends the
  // connection. A descriptor closed and reused since names another peer.
  if (PeerName(fd) != peer) return false;
  return ::shutdown(fd, SHUT_RDWR) == 0;
}

absl::StatusOr<std::unique_ptr<ConnectionGate>> ConnectionGate::Listen(
    const std::string& address, ConnectionGateOptions options) {
  std::string host, port;
  if (absl::Status s = SplitHostPort(address, &host, &port); !s.ok()) return s;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int e = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(),
                            &hints, &found);
      e != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address ", address, ": ", ::gai_strerror(e)));
  }
  auto gate = std::unique_ptr<ConnectionGate>(new ConnectionGate());
  gate->options_ = options;
  std::string error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family,
                            a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 4096) == 0) {
      gate->listen_fd_ = fd;
      break;
    }
    error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (gate->listen_fd_ < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ": ", error));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  ::getsockname(gate->listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  gate->port_ = ntohs(bound.ss_family == AF_INET6
                          ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return gate;
}

ConnectionGate::~ConnectionGate() { Stop(); }

void ConnectionGate::Start(
    std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor) {
  acceptor_ = std::move(acceptor);
  absl::StatusOr<DescriptorBudget> budget = CurrentDescriptorBudget();
  base_open_ = budget.ok() ? budget->open : 0;
  thread_ = std::thread([this] { Run(); });
}

void ConnectionGate::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

bool ConnectionGate::Admit() {
  absl::StatusOr<DescriptorBudget> budget = CurrentDescriptorBudget();
  if (!budget.ok()) return true;  // cannot count: gRPC's own limits remain
  if (budget->free() <= options_.fd_reserve) return false;
  return options_.max_connections == 0 ||
         budget->open < base_open_ + options_.max_connections;
}

void ConnectionGate::Run() {
  absl::Time last_warning = absl::InfinitePast();
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if (!Admit()) {
      // Leave the peer in the backlog until a connection closes.
      ++throttled_;
      if (absl::Now() - last_warning > absl::Seconds(10)) {
        last_warning = absl::Now();
        LogEvent("warning", "connections_throttled",
                 {{"fd_reserve", absl::StrCat(options_.fd_reserve)},
                  {"max_connections", absl::StrCat(options_.max_connections)},
                  {"throttled_total", absl::StrCat(throttled_.load())}});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    const int fd =
        ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters
        params;
    params.listener_fd = listen_fd_;
    params.fd = fd;  // gRPC owns it from here
    if (std::string peer = PeerName(fd); !peer.empty()) {
      absl::MutexLock lock(&peers_mu_);
      peers_[peer] = fd;
      if (peers_.size() >= prune_at_) {
        // Forget connections gRPC has closed (their descriptors now name
        // another peer or none).
        absl::erase_if(peers_, [](const auto& entry) {
          return PeerName(entry.second) != entry.first;
        });
        prune_at_ = std::max<size_t>(1024, 2 * peers_.size());
      }
    }
    acceptor_->HandleNewConnection(&params);
  }
}

}  // namespace api::server
