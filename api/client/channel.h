// Makes the gRPC channel a LedgerClient talks over: TLS with a client
// certificate (mTLS, the normal case), or plaintext to a loopback address for
// local use (DESIGN.md, "API": insecure mode is bound to loopback).
#ifndef API_CLIENT_CHANNEL_H_
#define API_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace api::client {

struct ChannelOptions {
  // gRPC target, e.g. "ledger.factory.example:7443" or "127.0.0.1:7443".
  std::string target;
  // Plaintext instead of TLS. Only allowed when `target` is a loopback
  // address ("localhost", "127.x.x.x", "[::1]") or a "unix:" socket.
  // Default: false.
  bool insecure = false;
  // PEM files for TLS. `ca_file` holds the roots that sign the server's
  // certificate (empty: the system roots). `cert_file` and `key_file` are
  // the client's certificate chain and private key; both or neither
  // (neither: no client certificate). Default: all empty.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

// True when `target` names a loopback host or a Unix socket.
bool IsLoopbackTarget(const std::string& target);

// Returns a channel (not yet connected). kInvalidArgument for an empty
// target, insecure to a non-loopback target, or only one of cert/key;
// kNotFound / kUnavailable when a PEM file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ChannelOptions& options);

}  // namespace api::client

#endif  // API_CLIENT_CHANNEL_H_
