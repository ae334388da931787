#include "tests/server/server_harness.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/server/server_process.h"

namespace tests::server {

absl::StatusOr<std::unique_ptr<ServerHarness>> ServerHarness::Start(
    const TestCa* ca, api::server::ServerOptions options) {
  auto harness = std::make_unique<ServerHarness>();
  absl::StatusOr<std::unique_ptr<ledger::testonly::LedgerFixture>> fixture =
      ledger::testonly::LedgerFixture::Create();
  if (!fixture.ok()) return fixture.status();
  harness->fixture_ = std::move(*fixture);
  options.listen_address = "127.0.0.1:0";
  options.clock = &harness->fixture_->clock();
  options.insecure_loopback = ca == nullptr;
  if (ca != nullptr) {
    options.tls_cert_file = ca->server().cert;
    options.tls_key_file = ca->server().key;
    options.tls_client_ca_file = ca->ca_cert();
  }
  absl::StatusOr<std::unique_ptr<api::server::LedgerServer>> server =
      api::server::LedgerServer::Start(&harness->fixture_->ledger(), options);
  if (!server.ok()) return server.status();
  harness->server_ = std::move(*server);
  return harness;
}

absl::StatusOr<std::unique_ptr<ServerHarness>> ServerHarness::StartLoopback(
    absl::Duration checkpoint_interval) {
  api::server::ServerOptions options;
  options.checkpoint_interval = checkpoint_interval;
  return Start(nullptr, options);
}

ServerHarness::~ServerHarness() {
  if (server_ != nullptr) (void)server_->Shutdown(absl::Seconds(2));
  server_.reset();
}

std::shared_ptr<grpc::Channel> ServerHarness::InsecureChannel() const {
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port()),
                                   grpc::InsecureChannelCredentials(), args);
}

std::shared_ptr<grpc::Channel> ServerHarness::TlsChannel(
    const CertFiles* client, const std::string& ca_pem) const {
  return tests::server::TlsChannel(port(), ca_pem, client);
}

}  // namespace tests::server
