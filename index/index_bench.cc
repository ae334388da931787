// Issue 19's scale figures for the verifiable index (index/README.md), each
// printed next to its goal, on a real ledger and a real index (RocksDB,
// signatures, synced batches):
//  1. build next to append, in the same run: for each batch the ledger
//     appends signed envelopes (group commit) and publishes a checkpoint,
//     then the builder reads those leaves and applies them at that
//     checkpoint (one synced batch). Envelopes are signed --chunk at a time
//     with the clocks stopped (so 10M fit in memory); goal: the index's CPU
//     is at most 20 % of one core at the append rate. The index's CPU is
//     its thread's in the index phases plus its store's background jobs
//     (flushes, compactions: Store::BackgroundCpuSeconds), wherever they
//     ran, read once they settled after the last update: the process's CPU
//     in a phase would also count the other store's jobs that happened to
//     run then (both are printed). The figures after the build are taken
//     once the ledger's store settled too;
//  2. proof sizes for the largest model (--hot_entries of the --leaves
//     entries are about it; the rest spread over --models models): map
//     proof (goal <= 2 KB) and list range proofs (goal: logarithmic, at
//     most 2 * ceil(log2 n) hashes);
//  3. the first page of the largest model: its range proof from the
//     builder's stored list nodes (list_nodes.h) against what the server did
//     before they were stored (read the whole list, hash its tree), and the
//     whole page with its entries' inclusion proofs;
//  4. verified queries per second and per CPU-second: map proof made,
//     encoded, decoded and verified, the model's whole list read and its
//     root recomputed against the proven value;
//  5. a citation's list below an older input size (what the index host
//     cites when the index advanced past the rules' fold) for the largest
//     model: from the stored list nodes (list_below.h) against reading the
//     list below it page by page (the host's way before);
//  6. what the key checkpoints (index_builder.h) trade for the build's
//     cost: the open after a crash (the builder dropped without its close
//     checkpoint, reopened with the ledger as its input: the leaves since
//     the last key checkpoint re-applied), and a clean close's checkpoint.
// The machine may be shared: CPU seconds are printed beside wall time, and
// the load average at the start and the end.
// Usage: bazel run -c opt //index:index_bench -- [--leaves N] [--models M]
//   [--hot_entries H] [--batch B] [--chunk C] [--queries Q]
//   [--key_checkpoint_leaves K]
// Issue 19's run: --leaves=10000000 --models=100000 --hot_entries=1000000
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/production_runtime.h"
#include "index/index_builder.h"
#include "index/list_below.h"
#include "index/list_range.h"
#include "index/map_proof.h"
#include "index/model_page.h"
#include "index/testonly/model_log.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/verify.h"
#include "ledger/testonly/ledger_fixture.h"

ABSL_FLAG(int, leaves, 200000, "entries appended and indexed");
ABSL_FLAG(int, models, 2000,
          "models the entries not about the largest are about");
ABSL_FLAG(int, hot_entries, 20000,
          "entries about the one largest model (spread evenly; 0: none)");
ABSL_FLAG(int, batch, 2000, "entries per append group and index update");
ABSL_FLAG(int, chunk, 100000, "envelopes signed at a time, untimed");
ABSL_FLAG(int, queries, 2000, "verified queries timed");
ABSL_FLAG(int64_t, key_checkpoint_leaves,
          static_cast<int64_t>(vindex::BuilderOptions().key_checkpoint_leaves),
          "the builder's key checkpoint interval (index_builder.h)");

namespace {

constexpr char kHot[] = "hot-model";
constexpr double kIndexCoreGoal = 0.20;  // of one core at the append rate
constexpr size_t kMapProofGoal = 2048;   // bytes

// This thread's CPU seconds (the index's work in the bench is on it, but
// for its store's background jobs, counted apart).
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string Load() {
  double l[3] = {0, 0, 0};
  if (getloadavg(l, 3) != 3) return "?";
  return absl::StrCat(l[0], " ", l[1], " ", l[2]);
}

void Die(const absl::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, std::string(s.message()).c_str());
  std::exit(1);
}

const char* Verdict(bool met) { return met ? "met" : "NOT met"; }

// The model entry i is about: every stride-th entry is about kHot.
std::string ModelOf(int i) {
  const int hot = absl::GetFlag(FLAGS_hot_entries);
  const int stride =
      hot > 0 ? std::max(1, absl::GetFlag(FLAGS_leaves) / hot) : 0;
  if (stride > 0 && i % stride == 0 && i / stride < hot) return kHot;
  // The others in turn, so that every model gets entries.
  const int hot_before = stride > 0 ? std::min(hot, i / stride + 1) : 0;
  return absl::StrCat("model-", (i - hot_before) % absl::GetFlag(FLAGS_models));
}

struct BuildTimes {
  double append_s = 0, append_cpu = 0, index_s = 0, index_cpu = 0;
  // The index's own cost: this thread in the index phases, and its store's
  // background jobs over the run (whenever they ran; index_cpu, the
  // process's CPU in the index phases, also holds the ledger's).
  double index_thread_cpu = 0, index_background_cpu = 0;
  // Wall seconds the index store's background work ran on after the last
  // update (counted in index_background_cpu).
  double index_settle_s = 0;
  double IndexOwnCpu() const { return index_thread_cpu + index_background_cpu; }
};

// Waits (300 s at most) while `pending` says background work is left.
void WaitUntilIdle(const std::function<bool()>& pending) {
  for (int i = 0; i < 3000 && pending(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
}

// Appends and indexes `envelopes` in batches of --batch: each batch appended
// and checkpointed, then indexed at that checkpoint.
void AppendAndIndexChunk(vindex::testonly::ModelLog& log,
                         vindex::IndexBuilder& builder,
                         const std::vector<std::string>& envelopes,
                         BuildTimes* t) {
  const size_t batch = absl::GetFlag(FLAGS_batch);
  for (size_t start = 0; start < envelopes.size(); start += batch) {
    const size_t end = std::min(envelopes.size(), start + batch);
    const std::vector<std::string> group(envelopes.begin() + start,
                                         envelopes.begin() + end);
    absl::Time t0 = absl::Now();
    double c0 = CpuSeconds();
    Die(log.AppendAll(group), "append");
    Die(log.ledger().PublishCheckpoint().status(), "checkpoint");
    t->append_s += absl::ToDoubleSeconds(absl::Now() - t0);
    t->append_cpu += CpuSeconds() - c0;
    t0 = absl::Now();
    c0 = CpuSeconds();
    const double thread0 = ThreadCpuSeconds();
    absl::StatusOr<vindex::InputCheckpoint> cp = log.Checkpoint();
    Die(cp.status(), "checkpoint");
    absl::StatusOr<std::vector<std::string>> got =
        log.Leaves(builder.state().input_size, cp->size);
    Die(got.status(), "leaves");
    Die(builder.Apply(*cp, *got), "apply");
    t->index_s += absl::ToDoubleSeconds(absl::Now() - t0);
    t->index_cpu += CpuSeconds() - c0;
    t->index_thread_cpu += ThreadCpuSeconds() - thread0;
  }
}

BuildTimes AppendAndIndex(vindex::testonly::ModelLog& log,
                          vindex::IndexBuilder& builder) {
  const int leaves = absl::GetFlag(FLAGS_leaves);
  const int chunk = std::max(1, absl::GetFlag(FLAGS_chunk));
  BuildTimes t;
  const absl::Time begin = absl::Now();
  for (int from = 0; from < leaves; from += chunk) {
    std::vector<std::string> envelopes;
    for (int i = from; i < std::min(leaves, from + chunk); ++i) {
      absl::StatusOr<std::string> env = log.Envelope(ModelOf(i), i % 4);
      Die(env.status(), "sign");
      envelopes.push_back(*std::move(env));
    }
    AppendAndIndexChunk(log, builder, envelopes, &t);
    std::fprintf(stderr,
                 "  %d entries: %.0f s elapsed, append %.0f/s, index %.0f/s, "
                 "load %s\n",
                 from + static_cast<int>(envelopes.size()),
                 absl::ToDoubleSeconds(absl::Now() - begin),
                 (from + envelopes.size()) / t.append_s,
                 (from + envelopes.size()) / t.index_s, Load().c_str());
  }
  // The flushes and compactions the build's writes caused count in its
  // cost even when they run after its last update.
  const absl::Time idle0 = absl::Now();
  WaitUntilIdle([&] { return builder.StoreBackgroundWorkPending(); });
  t.index_settle_s = absl::ToDoubleSeconds(absl::Now() - idle0);
  t.index_background_cpu = builder.StoreBackgroundCpuSeconds();
  return t;
}

void PrintBuild(const BuildTimes& t) {
  const double n = absl::GetFlag(FLAGS_leaves);
  const double share = t.IndexOwnCpu() / t.append_s;
  std::printf(
      "build vs append: %.0f entries, %d models + the largest with %d, "
      "batches of %d\n"
      "  append (ledger, group commit + checkpoint): %.0f entries/s (%.1f s "
      "wall, %.1f s cpu = %.1f us cpu an entry)\n"
      "  index  (read + MapFn + synced batch):       %.0f entries/s (%.1f s "
      "wall; cpu: %.1f s its thread + %.1f s its store's background jobs, "
      "counted until they settled %.1f s after the last update, = "
      "%.1f us an entry)\n"
      "         (process cpu in the index phases, with whatever background "
      "work of either store ran then: %.1f s = %.1f us an entry)\n"
      "  index cpu at the append rate: %.1f %% of one core   goal <= %.0f %%: "
      "%s\n",
      n, absl::GetFlag(FLAGS_models), absl::GetFlag(FLAGS_hot_entries),
      absl::GetFlag(FLAGS_batch), n / t.append_s, t.append_s, t.append_cpu,
      1e6 * t.append_cpu / n, n / t.index_s, t.index_s, t.index_thread_cpu,
      t.index_background_cpu, t.index_settle_s, 1e6 * t.IndexOwnCpu() / n,
      t.index_cpu, 1e6 * t.index_cpu / n, 100 * share, 100 * kIndexCoreGoal,
      Verdict(share <= kIndexCoreGoal));
}

size_t MapProofBytes(const vindex::IndexBuilder& b, const std::string& id) {
  return vindex::EncodeMapProof(b.Prove(id, nullptr)).size();
}

// The largest range proof (in hashes) over the pages at `starts`.
size_t RangeProofHashes(const vindex::IndexBuilder& b, uint64_t n,
                        const std::vector<uint64_t>& starts) {
  absl::StatusOr<vindex::StoredListNodes> nodes = b.ListNodes(kHot, n);
  Die(nodes.status(), "list nodes");
  size_t most = 0;
  for (uint64_t s : starts) {
    absl::StatusOr<vindex::ListRangeProof> p = vindex::ProveListRange(
        *nodes, s, std::min(n, s + vindex::kMaxPageEntries), n);
    Die(p.status(), "range proof");
    most = std::max(most, p->left.size() + p->right.size());
  }
  return most;
}

void ProofSizes(const vindex::IndexBuilder& b) {
  vindex::KeyValue hot;
  b.Prove(kHot, &hot);
  const size_t hot_bytes = MapProofBytes(b, kHot);
  const int models = absl::GetFlag(FLAGS_models);
  size_t largest = 0, total = 0;
  for (int i = 0; i < 1000; ++i) {
    const size_t n =
        MapProofBytes(b, absl::StrCat("model-", (i * 7919) % models));
    largest = std::max(largest, n);
    total += n;
  }
  const uint64_t n = hot.count;
  const size_t log2n = n > 1 ? static_cast<size_t>(std::ceil(std::log2(n))) : 1;
  std::vector<uint64_t> starts;
  for (uint64_t s = 0; s < n; s += std::max<uint64_t>(1000, n / 97)) {
    starts.push_back(s);
  }
  if (n > 0) starts.push_back(n - 1);
  const size_t range = n > 0 ? RangeProofHashes(b, n, starts) : 0;
  std::printf(
      "proof sizes: %zu models in the map\n"
      "  map proof, the largest model (%llu entries): %zu bytes   goal <= "
      "%zu: %s\n"
      "  map proof, 1000 models: mean %zu, max %zu bytes; absent model: %zu\n"
      "  list range proof of a page of %llu, the largest over %zu pages: %zu "
      "hashes (%zu bytes)   goal <= 2 x ceil(log2 n) = %zu: %s\n"
      "  list inclusion proof of one entry: %zu hashes\n",
      static_cast<size_t>(b.state().key_count),
      static_cast<unsigned long long>(n), hot_bytes, kMapProofGoal,
      Verdict(hot_bytes <= kMapProofGoal), total / 1000, largest,
      MapProofBytes(b, "absent"),
      static_cast<unsigned long long>(vindex::kMaxPageEntries), starts.size(),
      range, range * 32, 2 * log2n, Verdict(range <= 2 * log2n),
      ledger::merkle::InclusionProofLength(n / 2, std::max<uint64_t>(n, 1)));
}

// The first page's range proof the way the server made it before the list
// nodes were stored: the whole list read and its tree hashed.
double RebuiltFirstPageSeconds(const vindex::IndexBuilder& b, uint64_t n) {
  const absl::Time t0 = absl::Now();
  absl::StatusOr<std::vector<uint64_t>> list = b.List(kHot, 0, n);
  Die(list.status(), "list");
  ledger::merkle::InMemoryTree tree;
  for (uint64_t i : *list) tree.Append(vindex::ListLeafHash(i));
  Die(vindex::ProveListRange(tree, 0, std::min<uint64_t>(n, 1000), n).status(),
      "range proof");
  return absl::ToDoubleSeconds(absl::Now() - t0);
}

void FirstPage(const vindex::IndexBuilder& b, const ledger::Ledger& input) {
  vindex::KeyValue hot;
  b.Prove(kHot, &hot);
  const uint64_t n = hot.count;
  if (n == 0) return;
  const int reps = 20;
  absl::Time t0 = absl::Now();
  for (int r = 0; r < reps; ++r) {
    absl::StatusOr<vindex::StoredListNodes> nodes = b.ListNodes(kHot, n);
    Die(nodes.status(), "list nodes");
    Die(vindex::ProveListRange(*nodes, 0, std::min<uint64_t>(n, 1000), n)
            .status(),
        "range proof");
  }
  const double stored_s = absl::ToDoubleSeconds(absl::Now() - t0) / reps;
  const double rebuilt_s = RebuiltFirstPageSeconds(b, n);
  t0 = absl::Now();
  absl::StatusOr<vindex::ModelPage> page = vindex::MakeModelPage(
      b, input, kHot, n, b.state().input_size, 0, vindex::kMaxPageEntries);
  Die(page.status(), "page");
  const double page_s = absl::ToDoubleSeconds(absl::Now() - t0);
  std::printf(
      "first page of the largest model (%llu entries), pages of %llu:\n"
      "  range proof from the stored list nodes: %.3f ms   before (whole "
      "list read and its tree hashed): %.1f ms = %.0fx\n"
      "  the whole page (range proof + %zu entries with inclusion proofs): "
      "%.1f ms\n",
      static_cast<unsigned long long>(n),
      static_cast<unsigned long long>(vindex::kMaxPageEntries), 1e3 * stored_s,
      1e3 * rebuilt_s, rebuilt_s / stored_s, page->list.size(), 1e3 * page_s);
}

void Queries(const vindex::IndexBuilder& builder) {
  const int queries = absl::GetFlag(FLAGS_queries);
  const int models = absl::GetFlag(FLAGS_models);
  const vindex::Hash root = builder.state().map_root;
  uint64_t entries = 0;
  const absl::Time t0 = absl::Now();
  const double c0 = CpuSeconds();
  for (int q = 0; q < queries; ++q) {
    const std::string id = absl::StrCat("model-", (q * 7919) % models);
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
  const double cpu = CpuSeconds() - c0;
  std::printf(
      "verified queries: %d in %.2f s wall, %.2f s cpu = %.0f/s, %.0f per "
      "CPU-second (map proof verified, whole list of ~%llu entries read and "
      "its root recomputed)\n",
      queries, s, cpu, queries / s, queries / cpu,
      static_cast<unsigned long long>(entries / std::max(queries, 1)));
}

// The list below `input_size` the way the index host read it before
// list_below.h: page by page from position 0, each element hashed.
ledger::merkle::CompactRange ListBelowByPages(const vindex::IndexBuilder& b,
                                              uint64_t input_size) {
  ledger::merkle::CompactRange out;
  for (uint64_t position = 0;; position += vindex::kMaxPageEntries) {
    absl::StatusOr<std::vector<uint64_t>> page =
        b.List(kHot, position, vindex::kMaxPageEntries);
    Die(page.status(), "list");
    for (uint64_t index : *page) {
      if (index >= input_size) return out;
      out.Append(vindex::ListLeafHash(index), nullptr);
    }
    if (page->size() < vindex::kMaxPageEntries) return out;
  }
}

void CitedListBelow(const vindex::IndexBuilder& b) {
  const uint64_t size = b.state().input_size;
  const int reps = 50;
  double stored_s = 0, stored_cpu = 0, pages_s = 0, pages_cpu = 0;
  uint64_t largest = 0;
  for (uint64_t below : {size / 4, size / 2, 3 * size / 4, size - 1}) {
    absl::Time t0 = absl::Now();
    double c0 = CpuSeconds();
    absl::StatusOr<ledger::merkle::CompactRange> got;
    for (int r = 0; r < reps; ++r) got = vindex::ListRangeBelow(b, kHot, below);
    Die(got.status(), "list below");
    stored_s += absl::ToDoubleSeconds(absl::Now() - t0) / reps;
    stored_cpu += (CpuSeconds() - c0) / reps;
    t0 = absl::Now();
    c0 = CpuSeconds();
    const ledger::merkle::CompactRange want = ListBelowByPages(b, below);
    pages_s += absl::ToDoubleSeconds(absl::Now() - t0);
    pages_cpu += CpuSeconds() - c0;
    if (got->size() != want.size() || got->hashes() != want.hashes()) {
      Die(absl::DataLossError("stored nodes and pages differ"), "list below");
    }
    largest = std::max(largest, want.size());
  }
  std::printf(
      "cited list below an older input size, the largest model (4 sizes, up "
      "to %llu entries below):\n"
      "  from the stored list nodes: %.3f ms wall, %.3f ms cpu a citation = "
      "%.0f per CPU-second\n"
      "  before (the list read page by page): %.1f ms wall, %.1f ms cpu a "
      "citation = %.1f per CPU-second (%.0fx the CPU)\n",
      static_cast<unsigned long long>(largest), 1e3 * stored_s / 4,
      1e3 * stored_cpu / 4, 4 / stored_cpu, 1e3 * pages_s / 4,
      1e3 * pages_cpu / 4, 4 / pages_cpu, pages_cpu / stored_cpu);
}

vindex::BuilderOptions BenchOptions(const vindex::testonly::ModelLog& log) {
  vindex::BuilderOptions options;
  options.key_checkpoint_leaves =
      static_cast<uint64_t>(absl::GetFlag(FLAGS_key_checkpoint_leaves));
  options.checkpoint_keys_at_close = false;  // ReopenAfterACrash
  options.input = [&log](uint64_t start, uint64_t max_count) {
    return log.Leaves(start, start + max_count);
  };
  return options;
}

void ReopenAfterACrash(const std::string& dir,
                       const vindex::testonly::ModelLog& log,
                       std::unique_ptr<vindex::IndexBuilder> builder) {
  const vindex::IndexState before = builder->state();
  const uint64_t lag = before.input_size - builder->key_checkpoint_size();
  builder.reset();  // no close checkpoint: as a crash leaves it
  absl::Time t0 = absl::Now();
  double c0 = CpuSeconds();
  absl::StatusOr<std::unique_ptr<vindex::IndexBuilder>> reopened =
      vindex::IndexBuilder::Open(dir, BenchOptions(log));
  Die(reopened.status(), "reopen");
  const double open_s = absl::ToDoubleSeconds(absl::Now() - t0);
  const double open_cpu = CpuSeconds() - c0;
  if ((*reopened)->state().map_root != before.map_root) {
    Die(absl::DataLossError("map root differs after the re-apply"), "reopen");
  }
  t0 = absl::Now();
  c0 = CpuSeconds();
  Die((*reopened)->CheckpointKeys(), "key checkpoint");
  std::printf(
      "key checkpoints every %llu leaves:\n"
      "  open after a crash (%llu leaves since the last key checkpoint "
      "re-applied, same map root): %.2f s wall, %.2f s cpu\n"
      "  a clean close's key checkpoint then: %.2f s wall, %.2f s cpu\n",
      static_cast<unsigned long long>(
          absl::GetFlag(FLAGS_key_checkpoint_leaves)),
      static_cast<unsigned long long>(lag), open_s, open_cpu,
      absl::ToDoubleSeconds(absl::Now() - t0), CpuSeconds() - c0);
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  std::printf("load average at the start: %s\n", Load().c_str());
  absl::StatusOr<std::unique_ptr<vindex::testonly::ModelLog>> log =
      vindex::testonly::ModelLog::Create();
  Die(log.status(), "ledger");
  const std::string dir = ledger::testonly::FreshDir("index_bench");
  absl::StatusOr<std::unique_ptr<vindex::IndexBuilder>> builder =
      vindex::IndexBuilder::Open(dir, BenchOptions(**log));
  Die(builder.status(), "index");
  PrintBuild(AppendAndIndex(**log, **builder));
  // The query figures with neither store compacting behind them.
  WaitUntilIdle(
      [&] { return (*log)->ledger().store().BackgroundWorkPending(); });
  std::fflush(stdout);
  ProofSizes(**builder);
  FirstPage(**builder, (*log)->ledger());
  Queries(**builder);
  CitedListBelow(**builder);
  ReopenAfterACrash(dir, **log, *std::move(builder));
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  std::printf("peak RSS %ld MiB; load average at the end: %s\n",
              u.ru_maxrss / 1024, Load().c_str());
  return 0;
}
