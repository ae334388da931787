// flood_peer PORT CA_PEM NO_CERT RAW: a hostile peer for
// connection_flood_test, in a process of its own (so that its gRPC threads
// do not slow the honest client's). Opens NO_CERT gRPC channels over TLS
// without a client certificate (each its own connection, reconnecting as
// gRPC does) and RAW TCP connections that never speak, prints "ready N"
// (N = channels that got a connection after 3 s) and holds them until
// killed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "grpc/impl/codegen/grpc_types.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  const int port = std::atoi(argv[1]);
  std::ifstream in(argv[2]);
  std::stringstream ca;
  ca << in.rdbuf();
  const int no_cert = std::atoi(argv[3]);
  const int raw = std::atoi(argv[4]);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < no_cert; ++i) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ca.str();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::SslCredentials(ssl), args));
    channels.back()->GetState(/*try_to_connect=*/true);
  }
  std::vector<int> sockets;
  for (int i = 0; i < raw; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0)
      sockets.push_back(fd);
    else
      ::close(fd);
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  int ready = 0;
  for (auto& channel : channels)
    ready += channel->GetState(false) == GRPC_CHANNEL_READY;
  std::printf("ready %d raw %zu\n", ready, sockets.size());
  std::fflush(stdout);
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}
