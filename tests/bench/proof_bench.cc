// Inclusion-proof serving on an existing ledger folder (for example the
// 10M-entry ledger `ledger_bench --entries=10000000 --keep --dir=D` leaves in
// D/ledger), opened read-only, as a server would serve it after a restart:
//   1. cold: the tree-block cache empty (blocks come from RocksDB / the page
//      cache),
//   2. warm: after one pass over every complete block, with 1 thread and with
//      --threads threads,
// each verified on a sample against the root, next to the tree-cache budget
// and the process's memory.
//   bazel build -c opt //tests/bench:proof_bench
//   bazel-out/k8-opt/bin/tests/bench/proof_bench --dir=D/ledger
//   --tree_cache_mb=1024
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/production_runtime.h"
#include "common/status_macros.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/verify.h"
#include "ledger/tree_state.h"
#include "tests/bench/system_info.h"

ABSL_FLAG(std::string, dir, "", "an existing ledger folder (required)");
ABSL_FLAG(uint64_t, tree_cache_mb,
          ledger::LedgerOptions().tree_cache_bytes >> 20,
          "memory for cached tree blocks (MiB)");
ABSL_FLAG(double, seconds, 3, "seconds per measurement");
ABSL_FLAG(int, threads, 2, "threads of the multi-threaded measurement");

namespace {

using ledger::Ledger;

// A measurement: proofs per wall-clock second, and per CPU-second of the
// threads that made them (steadier on a machine shared with other work).
struct Rate {
  double wall = 0;
  double per_cpu_second = 0;
};

// Random inclusion proofs against the whole tree on `threads` threads for
// `seconds`; verifies every 97th proof of thread 0.
absl::StatusOr<Rate> ProofsPerSecond(Ledger* ledger, int threads,
                                     double seconds, uint64_t seed) {
  const uint64_t size = ledger->Size();
  ASSIGN_OR_RETURN(const ledger::merkle::Hash root, ledger->RootAt(size));
  std::atomic<uint64_t> total{0};
  std::vector<absl::Status> errors(threads);
  std::vector<double> cpu_seconds(threads);
  const absl::Time stop = absl::Now() + absl::Seconds(seconds);
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const double cpu_start = ledger::bench::ThreadCpuSeconds();
      std::mt19937_64 rng(seed + t);
      std::uniform_int_distribution<uint64_t> pick(0, size - 1);
      uint64_t proofs = 0;
      while (absl::Now() < stop && errors[t].ok()) {
        for (int i = 0; i < 256; ++i, ++proofs) {
          const uint64_t index = pick(rng);
          auto proof = ledger->InclusionProof(index, size);
          if (!proof.ok()) {
            errors[t] = proof.status();
            break;
          }
          if (t == 0 && proofs % 97 == 0) {
            auto leaf = ledger->GetLeaf(index);
            errors[t] = leaf.ok()
                            ? ledger::merkle::VerifyInclusion(
                                  index, size, ledger::merkle::HashLeaf(*leaf),
                                  *proof, root)
                            : leaf.status();
            if (!errors[t].ok()) break;
          }
        }
      }
      total += proofs;
      cpu_seconds[t] = ledger::bench::ThreadCpuSeconds() - cpu_start;
    });
  }
  for (std::thread& w : workers) w.join();
  for (const absl::Status& e : errors) RETURN_IF_ERROR(e);
  double cpu = 0;
  for (double c : cpu_seconds) cpu += c;
  return Rate{total / absl::ToDoubleSeconds(absl::Now() - start),
              cpu > 0 ? total / cpu : 0};
}

absl::Status Run() {
  const std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) return absl::InvalidArgumentError("--dir is required");
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int threads = absl::GetFlag(FLAGS_threads);
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  options.tree_cache_bytes = absl::GetFlag(FLAGS_tree_cache_mb) << 20;
  absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(options));
  const double open_s = absl::ToDoubleSeconds(absl::Now() - start);
  const uint64_t size = ledger->Size();
  const uint64_t blocks = size / ledger::kBlockLeaves;
  std::printf(
      "proof_bench: %llu entries (%llu complete blocks, %.0f MiB of them), "
      "tree cache %llu MiB, %u CPUs; open %.2f s\n",
      static_cast<unsigned long long>(size),
      static_cast<unsigned long long>(blocks),
      blocks * ledger::kBlockBytes / 1048576.0,
      static_cast<unsigned long long>(absl::GetFlag(FLAGS_tree_cache_mb)),
      std::thread::hardware_concurrency(), open_s);

  ASSIGN_OR_RETURN(const Rate cold,
                   ProofsPerSecond(ledger.get(), 1, seconds, 1));
  std::printf(
      "inclusion proofs, 1 thread, cold cache:  %9.0f/s (%.0f per "
      "CPU-second)\n",
      cold.wall, cold.per_cpu_second);

  // One proof per block reads every block once (the cache keeps the most
  // recent ones that fit the budget).
  start = absl::Now();
  for (uint64_t b = 0; b < blocks; ++b) {
    RETURN_IF_ERROR(
        ledger->InclusionProof(b * ledger::kBlockLeaves, size).status());
  }
  std::printf("warm-up: one proof per block, %.1f s\n",
              absl::ToDoubleSeconds(absl::Now() - start));
  ASSIGN_OR_RETURN(const Rate warm,
                   ProofsPerSecond(ledger.get(), 1, seconds, 2));
  // Issue 21's goal: 400k/s on one core at 10M entries, from the tree cache
  // (the earlier goal was 100k/s). Judged only when the ledger is that big,
  // on the wall-clock rate; the per-CPU-second rate is what one core would
  // do with the machine to itself.
  std::printf(
      "inclusion proofs, 1 thread, warm:        %9.0f/s, %.0f per "
      "CPU-second (goal >= 400000/s on one core at 10M entries: %s; "
      ">= 100000/s per core: %s)\n",
      warm.wall, warm.per_cpu_second,
      size < 10'000'000      ? "not judged below 10M"
      : warm.wall >= 400'000 ? "met"
                             : "NOT met",
      warm.wall >= 100'000 ? "met" : "NOT met");
  ASSIGN_OR_RETURN(const Rate multi,
                   ProofsPerSecond(ledger.get(), threads, seconds, 3));
  std::printf(
      "inclusion proofs, %d threads, warm:       %9.0f/s (%.0f per "
      "CPU-second)\n",
      threads, multi.wall, multi.per_cpu_second);
  std::printf("Ledger::MemoryBytes %.1f MiB, RSS %.0f MiB, peak RSS %.0f MiB\n",
              ledger->MemoryBytes() / 1048576.0,
              ledger::bench::ProcStatusBytes("VmRSS") / 1048576.0,
              ledger::bench::ProcStatusBytes("VmHWM") / 1048576.0);
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  absl::Status s = Run();
  if (!s.ok()) {
    std::fprintf(stderr, "proof_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
