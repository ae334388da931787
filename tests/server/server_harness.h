// A real ledger (LedgerFixture: temp folder, fake clock) served by a real
// LedgerServer on 127.0.0.1 port 0, and channels to it: insecure, or mTLS
// with a client certificate. For the server's integration tests.
#ifndef TESTS_SERVER_SERVER_HARNESS_H_
#define TESTS_SERVER_SERVER_HARNESS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/server/ledger_server.h"
#include "grpcpp/channel.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tests/server/test_ca.h"

namespace tests::server {

class ServerHarness {
 public:
  // Starts a server in insecure loopback mode when `ca` is null, else with
  // mTLS using the CA's server certificate. `options`' address, mode, TLS
  // files and clock are filled in here.
  static absl::StatusOr<std::unique_ptr<ServerHarness>> Start(
      const TestCa* ca = nullptr,
      api::server::ServerOptions options = api::server::ServerOptions());
  // Insecure loopback mode, publishing a checkpoint every
  // `checkpoint_interval` (the tests' usual setup).
  static absl::StatusOr<std::unique_ptr<ServerHarness>> StartLoopback(
      absl::Duration checkpoint_interval);
  ~ServerHarness();

  ledger::testonly::LedgerFixture& fixture() { return *fixture_; }
  ledger::Ledger& ledger() { return fixture_->ledger(); }
  api::server::LedgerServer& server() { return *server_; }
  int port() const { return server_->port(); }

  std::shared_ptr<grpc::Channel> InsecureChannel() const;
  // mTLS channel presenting `client` (no certificate when null).
  std::shared_ptr<grpc::Channel> TlsChannel(const CertFiles* client,
                                            const std::string& ca_pem) const;

 private:
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<api::server::LedgerServer> server_;
};

}  // namespace tests::server

#endif  // TESTS_SERVER_SERVER_HARNESS_H_
