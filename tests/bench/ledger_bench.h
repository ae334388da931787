// An end-to-end benchmark of one ledger in a temporary folder: durable
// appends (pre-signed envelopes, concurrent appenders, group commit),
// checkpoint, inclusion and consistency proofs, reopen, full audit, storage
// bytes and memory — each next to the physical limit measured in the same run
// (physical_limits.h). Progress goes to stderr.
//
// Not thread-safe; run one at a time.
#ifndef TESTS_BENCH_LEDGER_BENCH_H_
#define TESTS_BENCH_LEDGER_BENCH_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/ledger.h"

namespace ledger::bench {

struct BenchOptions {
  // Entries to append (besides genesis and key enrolments). Default: 1M.
  uint64_t entries = 1'000'000;
  // The ledger folder; must not hold a ledger. Default: "" (a fresh folder
  // under $TMPDIR, removed at the end unless keep).
  std::string dir;
  bool keep = false;
  // Appender threads, each with its own collector keys. Default: 2.
  int threads = 2;
  // Envelopes per Append() call. Default: 64.
  int batch = 64;
  // Payload bytes per entry (an IntervalReport is about this). Default: 200.
  int payload_bytes = 200;
  // Envelopes signed ahead per round; only appending is timed, so memory
  // stays bounded. Default: 500k.
  uint64_t chunk = 500'000;
  // Seconds per rate measurement (limits and proofs). Default: 2.
  double seconds = 2.0;
  // Append through an AppendPipeline (verify workers, one per CPU, while a
  // group commits) instead of synchronous Ledger::Append calls. The
  // appender threads then only submit, retrying while it is full. Default:
  // true.
  bool pipeline = true;
  // Threads of the audit. Default: 2.
  int audit_threads = 2;
  // LedgerOptions::tree_cache_bytes. Default: the library's default.
  size_t tree_cache_bytes = LedgerOptions().tree_cache_bytes;
};

struct BenchResults {
  // Machine and run.
  int cpus = 0;
  std::string cpu_model;
  std::string load_before;  // /proc/loadavg at start
  std::string load_after;   // /proc/loadavg at end
  // Physical limits, measured in this run.
  // Ed25519 verify, 300-byte message, 1 core: the mean of the rates measured
  // just before and just after the appends — the audit's limit. This shared
  // machine's speed swings by ±30 % within seconds, so the appends are judged
  // against verify_during_appends_per_s instead.
  double verify_per_s = 0;
  double verify_before_per_s = 0;
  double verify_after_per_s = 0;
  // The limit the appends are judged against: verify sampled for
  // kVerifySampleSeconds after every round of appends (kRoundEntries), with
  // the appenders paused and the clock stopped, weighted by the round's
  // duration, so that it tracks the machine's speed while they ran.
  double verify_during_appends_per_s = 0;
  double verify_during_min_per_s = 0;
  double verify_during_max_per_s = 0;
  int verify_samples = 0;
  double leaf_hash_per_s = 0;     // HashLeaf of a 300-byte leaf, 1 core
  double synced_write_per_s = 0;  // Store::Write of one small batch, fsync'd
  // Appends.
  uint64_t entries = 0;       // appended by the benchmark
  uint64_t ledger_size = 0;   // leaves including genesis and enrolments
  double envelope_bytes = 0;  // mean encoded envelope size
  double sign_seconds = 0;    // pre-signing (not in the append figure)
  double sign_per_s = 0;
  double append_seconds = 0;  // appends only, clock paused while signing
  double append_per_s = 0;
  double append_calls_per_s = 0;  // Append() calls per second (all threads)
  // Process CPU seconds (user + system) while appending; divided by
  // append_seconds it is the number of cores the appends kept busy.
  double append_cpu_seconds = 0;
  uint64_t append_errors = 0;
  // CPU-time figures, firmer than wall-clock rates on a shared machine:
  // entries appended per process CPU-second, and Ed25519 verifies per
  // CPU-second in the samples between rounds (their ratio is the share of
  // the appends' CPU that is the one verify each entry needs).
  double append_per_cpu_s = 0;
  double verify_per_cpu_s = 0;
  double checkpoint_ms = 0;  // PublishCheckpoint after the appends
  // Proofs (single thread, random, against the full tree).
  double inclusion_per_s = 0;
  double consistency_per_s = 0;
  uint64_t proofs_verified = 0;  // sample checked with merkle::Verify*
  // Close (flushes the memtables since the WAL-cap/flush-at-close change),
  // reopen (replays whatever WAL is left) and storage.
  double close_ms = 0;
  double reopen_ms = 0;
  uint64_t db_bytes = 0;  // du of db/ after reopen
  double bytes_per_entry = 0;
  // Audit.
  double audit_seconds = 0;
  double audit_per_s = 0;
  bool audit_ok = false;
  // Memory.
  uint64_t rss_after_append = 0;     // VmRSS after appending
  uint64_t peak_rss = 0;             // VmHWM at the end
  uint64_t ledger_memory_bytes = 0;  // Ledger::MemoryBytes() after appending
};

// Runs every phase. Errors: whatever creating, opening or auditing the ledger
// returns; append failures are counted in append_errors, not returned.
absl::StatusOr<BenchResults> RunLedgerBench(const BenchOptions& options);

}  // namespace ledger::bench

#endif  // TESTS_BENCH_LEDGER_BENCH_H_
