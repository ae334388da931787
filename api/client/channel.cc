#include "api/client/channel.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace api::client {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& what,
                                    const std::string& path) {
  absl::StatusOr<std::string> pem = common::ReadWholeFile(path);
  if (!pem.ok()) {
    return absl::Status(pem.status().code(),
                        absl::StrCat(what, ": ", pem.status().message()));
  }
  if (pem->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", path, " is empty"));
  }
  return pem;
}

// The host part of "host:port", "[v6]:port", "dns:///host:port" or "host".
std::string HostOf(std::string target) {
  for (absl::string_view scheme : {"dns:///", "ipv4:", "ipv6:"}) {
    if (absl::StartsWith(target, scheme)) target = target.substr(scheme.size());
  }
  if (absl::StartsWith(target, "[")) {
    const size_t close = target.find(']');
    return close == std::string::npos ? target : target.substr(1, close - 1);
  }
  const size_t colon = target.rfind(':');
  return colon == std::string::npos ? target : target.substr(0, colon);
}

}  // namespace

bool IsLoopbackTarget(const std::string& target) {
  if (absl::StartsWith(target, "unix:")) return true;
  const std::string host = HostOf(target);
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8, written as a dotted IPv4 address (not a name like
  // "127.example.com").
  return absl::StartsWith(host, "127.") &&
         host.find_first_not_of("0123456789.") == std::string::npos;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ChannelOptions& options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError("channel target: got \"\"");
  }
  if (options.insecure) {
    if (!IsLoopbackTarget(options.target)) {
      return absl::InvalidArgumentError(
          absl::StrCat("insecure channel to \"", options.target,
                       "\": plaintext is only allowed to a loopback address; "
                       "use TLS with a CA file and a client certificate"));
    }
    return grpc::CreateChannel(options.target,
                               grpc::InsecureChannelCredentials());
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS client identity: got only one of cert_file and key_file, want "
        "both or neither");
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPem("ca_file", options.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
  }
  if (!options.cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadPem("cert_file", options.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem("key_file", options.key_file);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
  }
  return grpc::CreateChannel(options.target, grpc::SslCredentials(ssl));
}

}  // namespace api::client
