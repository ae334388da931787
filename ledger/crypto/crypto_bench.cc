// Ed25519 sign and verify throughput for a 300-byte message (about the size of
// a signed entry envelope), and SHA-256 of 65 bytes (a Merkle node) and 301
// bytes (a leaf), single-threaded.
//   bazel run -c opt //ledger/crypto:crypto_bench
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"

namespace ledger::crypto {
namespace {

const std::string& Message() {
  static const std::string* message = new std::string(300, 'm');
  return *message;
}

void BM_Sign(benchmark::State& state) {
  auto key = SigningKey::Generate();
  if (!key.ok()) {
    state.SkipWithError("key generation failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize((*key)->Sign(Message()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sign);

void BM_Verify(benchmark::State& state) {
  auto key = SigningKey::Generate();
  if (!key.ok()) {
    state.SkipWithError("key generation failed");
    return;
  }
  const std::string signature = (*key)->Sign(Message());
  const PublicKey& public_key = (*key)->public_key();
  for (auto _ : state) {
    absl::Status status = public_key.Verify(Message(), signature);
    if (!status.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Verify);

void BM_Sha256(benchmark::State& state) {
  const std::string message(state.range(0), 'h');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256({message}));
  state.SetBytesProcessed(state.iterations() * message.size());
}
BENCHMARK(BM_Sha256)->Arg(65)->Arg(301);

}  // namespace
}  // namespace ledger::crypto
