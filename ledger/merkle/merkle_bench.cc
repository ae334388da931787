// Micro-benchmarks of the Merkle math:
//   bazel run -c opt //ledger/merkle:merkle_bench
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/merkle/proof_plan.h"

namespace ledger::merkle {
namespace {

constexpr uint64_t kTenMillion = 10'000'000;

void BM_HashLeaf300B(benchmark::State& state) {
  const std::string leaf(300, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(HashLeaf(leaf));
  state.SetBytesProcessed(state.iterations() * 301);
}
BENCHMARK(BM_HashLeaf300B);

void BM_HashChildren(benchmark::State& state) {
  Hash a = HashLeaf("a");
  const Hash b = HashLeaf("b");
  for (auto _ : state) {
    a = HashChildren(a, b);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_HashChildren);

void BM_CompactRangeAppend(benchmark::State& state) {
  CompactRange range;
  std::vector<std::pair<NodeId, Hash>> completed;
  const Hash leaf = HashLeaf("leaf");
  for (auto _ : state) {
    completed.clear();
    range.Append(leaf, &completed);
    benchmark::DoNotOptimize(completed.data());
  }
  // On average each append completes 2 nodes: 1 HashChildren per append.
}
BENCHMARK(BM_CompactRangeAppend);

// A NodeReader over a virtual tree of any size: the hash of a node is its id
// written into the bytes, which costs no hashing, so the benchmark measures
// planning, the reader call and rehashing (the proof is not RFC-valid).
class SyntheticReader : public NodeReader {
 public:
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) override {
    std::vector<Hash> hashes(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      std::memcpy(hashes[i].data(), &ids[i].level, sizeof(ids[i].level));
      std::memcpy(hashes[i].data() + 8, &ids[i].index, sizeof(ids[i].index));
    }
    return hashes;
  }
};

void BM_InclusionPlanAndRehash10M(benchmark::State& state) {
  SyntheticReader reader;
  std::mt19937_64 rng(1);
  size_t hashes = 0;
  for (auto _ : state) {
    // Random indices: about 1 in 4 proofs has an ephemeral node to fold.
    absl::StatusOr<std::vector<Hash>> proof =
        InclusionProof(rng() % kTenMillion, kTenMillion, reader);
    hashes += proof->size();
    benchmark::DoNotOptimize(proof);
  }
  state.counters["proof_hashes"] =
      benchmark::Counter(hashes, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_InclusionPlanAndRehash10M);

void BM_ConsistencyPlanAndRehash10M(benchmark::State& state) {
  SyntheticReader reader;
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    absl::StatusOr<std::vector<Hash>> proof =
        ConsistencyProof(rng() % kTenMillion, kTenMillion, reader);
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_ConsistencyPlanAndRehash10M);

// The same with real hashes: an InMemoryTree of 10M leaves (about 640 MB,
// built once, outside the timing).
void BM_InclusionProofInMemoryTree10M(benchmark::State& state) {
  static InMemoryTree* tree = [] {
    auto* t = new InMemoryTree;
    Hash leaf = HashLeaf("leaf");
    for (uint64_t i = 0; i < kTenMillion; ++i) {
      leaf[0] = static_cast<uint8_t>(i);
      t->Append(leaf);
    }
    return t;
  }();
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    absl::StatusOr<std::vector<Hash>> proof =
        InclusionProof(rng() % kTenMillion, kTenMillion, *tree);
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_InclusionProofInMemoryTree10M);

}  // namespace
}  // namespace ledger::merkle
