// Benchmark of the verifiable index (index/README.md):
//  1. build rate next to append rate, in the same run, on a real ledger: for
//     each batch the ledger appends pre-signed envelopes (group commit) and
//     publishes a checkpoint, then the builder reads those leaves and
//     applies them at that checkpoint (one synced RocksDB batch);
//  2. proof sizes for a model with --hot_entries entries among --map_keys
//     models (map proof bytes; list inclusion proof bytes), built in memory
//     with ModelMap, the code the builder and verify-index run;
//  3. verified queries per second on the built index: map proof made,
//     encoded, decoded and verified, the whole list read from RocksDB and
//     its root recomputed against the proven value.
// Usage: bazel run -c opt //index:index_bench -- [--leaves N] [--models M]
//   [--batch B] [--hot_entries H] [--map_keys K] [--queries Q]
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/production_runtime.h"
#include "index/index_builder.h"
#include "index/map_proof.h"
#include "index/model_map.h"
#include "index/testonly/model_log.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"
#include "ledger/testonly/ledger_fixture.h"

ABSL_FLAG(int, leaves, 200000, "entries appended and indexed");
ABSL_FLAG(int, models, 2000, "distinct models the entries are about");
ABSL_FLAG(int, batch, 2000, "entries per append group and index update");
ABSL_FLAG(int, hot_entries, 1000000, "entries of the one large model");
ABSL_FLAG(int, map_keys, 100000, "models in the map for the proof sizes");
ABSL_FLAG(int, queries, 2000, "verified queries timed");

namespace {

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void Die(const absl::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, std::string(s.message()).c_str());
  std::exit(1);
}

std::string Model(int i) { return absl::StrCat("model-", i); }

struct BuildTimes {
  double append_s = 0, append_cpu = 0, index_s = 0, index_cpu = 0;
};

BuildTimes AppendAndIndex(vindex::testonly::ModelLog& log,
                          vindex::IndexBuilder& builder) {
  const int leaves = absl::GetFlag(FLAGS_leaves);
  const int models = absl::GetFlag(FLAGS_models);
  const int batch = absl::GetFlag(FLAGS_batch);
  std::fprintf(stderr, "signing %d envelopes...\n", leaves);
  std::vector<std::string> envelopes;
  for (int i = 0; i < leaves; ++i) {
    absl::StatusOr<std::string> env = log.Envelope(Model(i % models), i % 4);
    Die(env.status(), "sign");
    envelopes.push_back(*std::move(env));
  }
  BuildTimes t;
  for (int start = 0; start < leaves; start += batch) {
    const int end = std::min(leaves, start + batch);
    const std::vector<std::string> group(envelopes.begin() + start,
                                         envelopes.begin() + end);
    absl::Time t0 = absl::Now();
    double c0 = CpuSeconds();
    Die(log.AppendAll(group), "append");
    Die(log.ledger().PublishCheckpoint().status(), "checkpoint");
    t.append_s += absl::ToDoubleSeconds(absl::Now() - t0);
    t.append_cpu += CpuSeconds() - c0;
    t0 = absl::Now();
    c0 = CpuSeconds();
    absl::StatusOr<vindex::InputCheckpoint> cp = log.Checkpoint();
    Die(cp.status(), "checkpoint");
    absl::StatusOr<std::vector<std::string>> got =
        log.Leaves(builder.state().input_size, cp->size);
    Die(got.status(), "leaves");
    Die(builder.Apply(*cp, *got), "apply");
    t.index_s += absl::ToDoubleSeconds(absl::Now() - t0);
    t.index_cpu += CpuSeconds() - c0;
  }
  return t;
}

void ProofSizes() {
  const int keys = absl::GetFlag(FLAGS_map_keys);
  const int hot = absl::GetFlag(FLAGS_hot_entries);
  vindex::ModelMap map;
  const absl::Time t0 = absl::Now();
  uint64_t index = 0;
  for (int i = 0; i < keys; ++i) Die(map.Add(index++, {Model(i)}), "add");
  for (int i = 0; i < hot; ++i) Die(map.Add(index++, {"hot-model"}), "add");
  map.Flush();
  const double build_s = absl::ToDoubleSeconds(absl::Now() - t0);
  vindex::KeyValue value;
  const std::string hot_proof = vindex::EncodeMapProof(
      map.tree().Prove(vindex::KeyHash("hot-model"), &value));
  size_t largest = 0, total = 0;
  for (int i = 0; i < 1000; ++i) {
    const size_t n =
        vindex::EncodeMapProof(
            map.tree().Prove(
                vindex::KeyHash(Model(i * (keys / 1000 + 1) % keys)), nullptr))
            .size();
    largest = std::max(largest, n);
    total += n;
  }
  const size_t absent =
      vindex::EncodeMapProof(
          map.tree().Prove(vindex::KeyHash("absent"), nullptr))
          .size();
  const size_t list_proof =
      ledger::merkle::InclusionProofLength(value.count / 2, value.count) * 32;
  std::printf(
      "proof sizes: %d models + one with %llu entries (in memory, %.1f s)\n"
      "  map proof, the large model:      %zu bytes\n"
      "  map proof, 1000 models: mean %zu, max %zu bytes\n"
      "  map proof, an absent model:      %zu bytes\n"
      "  list inclusion proof (1 entry of %llu): %zu bytes (%zu hashes)\n",
      keys, static_cast<unsigned long long>(value.count), build_s,
      hot_proof.size(), total / 1000, largest, absent,
      static_cast<unsigned long long>(value.count), list_proof,
      list_proof / 32);
}

void Queries(const vindex::IndexBuilder& builder) {
  const int queries = absl::GetFlag(FLAGS_queries);
  const int models = absl::GetFlag(FLAGS_models);
  const vindex::Hash root = builder.state().map_root;
  uint64_t entries = 0;
  const absl::Time t0 = absl::Now();
  for (int q = 0; q < queries; ++q) {
    const std::string id = Model((q * 7919) % models);
    vindex::KeyValue value;
    const std::string bytes = vindex::EncodeMapProof(builder.Prove(id, &value));
    absl::StatusOr<vindex::MapProof> proof = vindex::DecodeMapProof(bytes);
    Die(proof.status(), "decode");
    Die(vindex::VerifyMembership(root, vindex::KeyHash(id), value, *proof),
        "verify");
    absl::StatusOr<std::vector<uint64_t>> list =
        builder.List(id, 0, value.count);
    Die(list.status(), "list");
    ledger::merkle::CompactRange range;
    for (uint64_t i : *list) range.Append(vindex::ListLeafHash(i), nullptr);
    if (range.size() != value.count || range.Root() != value.list_root) {
      Die(absl::DataLossError("list does not match its proven root"), "list");
    }
    entries += list->size();
  }
  const double s = absl::ToDoubleSeconds(absl::Now() - t0);
  std::printf(
      "verified queries: %d in %.2f s = %.0f/s (map proof verified, whole "
      "list of ~%llu entries read and its root recomputed)\n",
      queries, s, queries / s,
      static_cast<unsigned long long>(entries / std::max(queries, 1)));
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::unique_ptr<vindex::testonly::ModelLog>> log =
      vindex::testonly::ModelLog::Create();
  Die(log.status(), "ledger");
  absl::StatusOr<std::unique_ptr<vindex::IndexBuilder>> builder =
      vindex::IndexBuilder::Open(ledger::testonly::FreshDir("index_bench"));
  Die(builder.status(), "index");
  const BuildTimes t = AppendAndIndex(**log, **builder);
  const double n = absl::GetFlag(FLAGS_leaves);
  std::printf(
      "build vs append: %d entries about %d models, batches of %d\n"
      "  append (ledger, group commit + checkpoint): %.0f entries/s "
      "(%.2f s wall, %.2f s cpu)\n"
      "  index  (read + MapFn + synced batch):       %.0f entries/s "
      "(%.2f s wall, %.2f s cpu)\n"
      "  index cpu per append-second: %.1f %% of one core at the append "
      "rate\n",
      absl::GetFlag(FLAGS_leaves), absl::GetFlag(FLAGS_models),
      absl::GetFlag(FLAGS_batch), n / t.append_s, t.append_s, t.append_cpu,
      n / t.index_s, t.index_s, t.index_cpu, 100.0 * t.index_cpu / t.append_s);
  ProofSizes();
  Queries(**builder);
  return 0;
}
