// End-to-end ledger benchmark; prints a table (or JSON with --json).
//   bazel build -c opt //tests/bench:ledger_bench
//   bazel-bin/tests/bench/ledger_bench --entries=1000000
// See docs/PERFORMANCE.md for results and how to read them.
#include <cstdio>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/production_runtime.h"
#include "tests/bench/bench_report.h"
#include "tests/bench/ledger_bench.h"

ABSL_FLAG(uint64_t, entries, 1'000'000, "entries to append");
ABSL_FLAG(std::string, dir, "",
          "folder for the ledger; default a fresh temp folder");
ABSL_FLAG(bool, keep, false, "keep the folder at the end");
ABSL_FLAG(int, threads, 2, "appender threads");
ABSL_FLAG(int, batch, 64, "envelopes per Append() call");
ABSL_FLAG(bool, pipeline, true,
          "append through an AppendPipeline (false: synchronous Append)");
ABSL_FLAG(int, payload_bytes, 200, "payload bytes per entry");
ABSL_FLAG(uint64_t, chunk, 500'000,
          "envelopes signed per round (clock paused while signing)");
ABSL_FLAG(double, seconds, 2.0, "seconds per rate measurement");
ABSL_FLAG(int, audit_threads, 2, "audit threads (0: skip the audit)");
ABSL_FLAG(uint64_t, tree_cache_mb,
          ledger::LedgerOptions().tree_cache_bytes >> 20,
          "memory for cached tree blocks (MiB)");
ABSL_FLAG(bool, json, false, "print one JSON object instead of a table");

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  ledger::bench::BenchOptions options;
  options.entries = absl::GetFlag(FLAGS_entries);
  options.dir = absl::GetFlag(FLAGS_dir);
  options.keep = absl::GetFlag(FLAGS_keep);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.batch = absl::GetFlag(FLAGS_batch);
  options.pipeline = absl::GetFlag(FLAGS_pipeline);
  options.payload_bytes = absl::GetFlag(FLAGS_payload_bytes);
  options.chunk = absl::GetFlag(FLAGS_chunk);
  options.seconds = absl::GetFlag(FLAGS_seconds);
  options.audit_threads = absl::GetFlag(FLAGS_audit_threads);
  options.tree_cache_bytes = absl::GetFlag(FLAGS_tree_cache_mb) << 20;
  absl::StatusOr<ledger::bench::BenchResults> results =
      ledger::bench::RunLedgerBench(options);
  if (!results.ok()) {
    std::cerr << "ledger_bench: " << results.status() << "\n";
    return 1;
  }
  std::cout << (absl::GetFlag(FLAGS_json)
                    ? ledger::bench::FormatJson(options, *results)
                    : ledger::bench::FormatTable(options, *results));
  return 0;
}
