#include "api/server/connection_gate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "api/server/descriptor_budget.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

class CountingAcceptor : public grpc::experimental::ExternalConnectionAcceptor {
 public:
  explicit CountingAcceptor(std::atomic<int>* handed) : handed_(handed) {}
  void HandleNewConnection(NewConnectionParameters* p) override {
    ::close(p->fd);
    ++*handed_;
  }

 private:
  std::atomic<int>* handed_;
};

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

bool WaitFor(const std::atomic<int>& n, int want) {
  for (int i = 0; i < 200 && n < want; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  return n >= want;
}

TEST(ConnectionGateTest, HandsConnectionsToGrpc) {
  auto gate = ConnectionGate::Listen("localhost:0", {});
  ASSERT_TRUE(gate.ok()) << gate.status();
  std::atomic<int> handed{0};
  (*gate)->Start(std::make_unique<CountingAcceptor>(&handed));
  const int a = Connect((*gate)->port());
  const int b = Connect((*gate)->port());
  EXPECT_TRUE(WaitFor(handed, 2));
  ::close(a);
  ::close(b);
}

TEST(ConnectionGateTest, HoldsPeersBackWhileTheReserveIsShort) {
  const uint64_t free_now = CurrentDescriptorBudget()->free();
  auto gate = ConnectionGate::Listen("127.0.0.1:0",
                                     ConnectionGateOptions{free_now + 100, 0});
  ASSERT_TRUE(gate.ok()) << gate.status();
  std::atomic<int> handed{0};
  (*gate)->Start(std::make_unique<CountingAcceptor>(&handed));
  const int fd = Connect((*gate)->port());  // completes in the backlog
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(handed, 0);
  EXPECT_GT((*gate)->throttled(), 0u);
  ::close(fd);
}

TEST(ConnectionGateTest, CapsConnections) {
  auto gate =
      ConnectionGate::Listen("127.0.0.1:0", ConnectionGateOptions{0, 2});
  ASSERT_TRUE(gate.ok()) << gate.status();
  std::atomic<int> handed{0};
  // Accepted connections stay open in this acceptor: it keeps them.
  class Keeping : public grpc::experimental::ExternalConnectionAcceptor {
   public:
    explicit Keeping(std::atomic<int>* n) : n_(n) {}
    void HandleNewConnection(NewConnectionParameters*) override { ++*n_; }
    std::atomic<int>* n_;
  };
  // The clients connect first (into the backlog): their own descriptors are
  // in this process too and must not count as accepted connections.
  int fds[4];
  for (int& fd : fds) fd = Connect((*gate)->port());
  (*gate)->Start(std::make_unique<Keeping>(&handed));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(handed, 2);  // the other two wait in the backlog
  (*gate)->Stop();
  for (int fd : fds) ::close(fd);
}

// Keeps each accepted descriptor open (as gRPC would), to be checked.
class KeepingAcceptor : public grpc::experimental::ExternalConnectionAcceptor {
 public:
  void HandleNewConnection(NewConnectionParameters* p) override {
    fds_.push_back(p->fd);
    ++handed;
  }
  ~KeepingAcceptor() override {
    for (int fd : fds_) ::close(fd);
  }
  std::atomic<int> handed{0};

 private:
  std::vector<int> fds_;  // the accept thread only
};

std::string LocalName(int fd) {
  sockaddr_in a{};
  socklen_t n = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  char host[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a.sin_addr, host, sizeof(host));
  return std::string("ipv4:") + host + ":" + std::to_string(ntohs(a.sin_port));
}

TEST(ConnectionGateTest, SeversOnePeerByItsGrpcName) {
  auto gate = ConnectionGate::Listen("127.0.0.1:0", {});
  ASSERT_TRUE(gate.ok()) << gate.status();
  auto acceptor = std::make_unique<KeepingAcceptor>();
  KeepingAcceptor* kept = acceptor.get();
  (*gate)->Start(std::move(acceptor));
  const int flooder = Connect((*gate)->port());
  const int honest = Connect((*gate)->port());
  ASSERT_TRUE(WaitFor(kept->handed, 2));
  // The server sees each client's local address as its peer.
  EXPECT_TRUE((*gate)->Sever(LocalName(flooder)));
  char byte;
  EXPECT_EQ(::recv(flooder, &byte, 1, 0), 0);  // closed by the server
  EXPECT_EQ(::send(honest, "x", 1, MSG_NOSIGNAL), 1);
  pollfd p{honest, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 100), 0);  // still open, nothing to read
  EXPECT_FALSE((*gate)->Sever(LocalName(flooder)));  // already gone
  EXPECT_FALSE((*gate)->Sever("ipv4:127.0.0.1:1"));
  (*gate)->Stop();
  ::close(flooder);
  ::close(honest);
}

TEST(ConnectionGateTest, RefusesMalformedAddresses) {
  EXPECT_EQ(ConnectionGate::Listen("nonsense", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConnectionGate::Listen("127.0.0.1:99999", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace api::server
