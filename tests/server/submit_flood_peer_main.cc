// submit_flood_peer PORT CA_PEM CERT KEY REQUEST SECONDS CHANNELS IN_FLIGHT:
// a tenant flooding Submit, for tenant_flood_test, in a process of its own.
// Over CHANNELS mTLS connections (CERT/KEY: an enrolled collector), keeps
// IN_FLIGHT Submit calls per connection outstanding with the serialized
// SubmitRequest in file REQUEST, for SECONDS. Prints "flooding" once the first
// answer came, then at the end "calls N entry_errors N codes C:N …" (gRPC
// status code: calls) and exits 0.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "grpc/impl/codegen/grpc_types.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace {

std::string Read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Call {
  grpc::ClientContext ctx;
  aifl::api::v1::SubmitResponse response;
  grpc::Status status;
  std::unique_ptr<
      grpc::ClientAsyncResponseReader<aifl::api::v1::SubmitResponse>>
      rpc;
  int channel = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 9) return 2;
  const int port = std::atoi(argv[1]);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Read(argv[2]);
  ssl.pem_cert_chain = Read(argv[3]);
  ssl.pem_private_key = Read(argv[4]);
  aifl::api::v1::SubmitRequest request;
  if (!request.ParseFromString(Read(argv[5]))) return 2;
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::seconds(std::atoi(argv[6]));
  const int channels = std::atoi(argv[7]);
  const int in_flight = std::atoi(argv[8]);

  std::vector<std::unique_ptr<aifl::api::v1::Ingest::Stub>> stubs;
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxSendMessageSize(-1);
    stubs.push_back(aifl::api::v1::Ingest::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::SslCredentials(ssl), args)));
  }
  grpc::CompletionQueue cq;
  auto start = [&](int channel) {
    auto* call = new Call;
    call->channel = channel;
    call->ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(10));
    call->rpc = stubs[channel]->PrepareAsyncSubmit(&call->ctx, request, &cq);
    call->rpc->StartCall();
    call->rpc->Finish(&call->response, &call->status, call);
  };
  for (int c = 0; c < channels; ++c) {
    for (int i = 0; i < in_flight; ++i) start(c);
  }
  std::map<grpc::StatusCode, long> codes;
  long calls = 0, entry_errors = 0;
  int outstanding = channels * in_flight;
  void* tag = nullptr;
  bool ok = false;
  while (outstanding > 0 && cq.Next(&tag, &ok)) {
    auto* call = static_cast<Call*>(tag);
    --outstanding;
    if (calls++ == 0) {
      std::printf("flooding\n");
      std::fflush(stdout);
    }
    ++codes[call->status.error_code()];
    for (const auto& r : call->response.results())
      entry_errors += r.has_error();
    if (std::chrono::steady_clock::now() < end) {
      start(call->channel);
      ++outstanding;
    }
    delete call;
  }
  std::printf("calls %ld entry_errors %ld codes", calls, entry_errors);
  for (const auto& [code, n] : codes) std::printf(" %d:%ld", code, n);
  std::printf("\n");
  std::fflush(stdout);
  // A completion queue must be shut down and drained before it is destroyed
  // (and before the channels it served): returning with it live crashed the
  // peer at exit now and then (SIGSEGV, exit 139, after its report).
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) delete static_cast<Call*>(tag);
  stubs.clear();
  return 0;
}
