// open_bench: how long Ledger::Open takes on an existing ledger folder, for
// writing (with the derived-state check of ledger/derived_state_check.h)
// and read-only (without it).
//
//   bazel build -c opt //tests/bench:ledger_bench //tests/bench:open_bench
//   bazel-bin/tests/bench/ledger_bench --entries=1000000 --keep \
//       --dir=/tmp/l1m --audit_threads=0
//   bazel-bin/tests/bench/open_bench --dir=/tmp/l1m
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "common/production_runtime.h"
#include "ledger/ledger.h"

ABSL_FLAG(std::string, dir, "", "an existing ledger folder (required)");
ABSL_FLAG(int, rounds, 3, "opens of each kind");

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  for (bool read_only : {false, true}) {
    for (int i = 0; i < absl::GetFlag(FLAGS_rounds); ++i) {
      ledger::LedgerOptions options;
      options.dir = absl::GetFlag(FLAGS_dir);
      options.read_only = read_only;
      const absl::Time start = absl::Now();
      auto opened = ledger::Ledger::Open(options);
      const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
      if (!opened.ok()) {
        std::fprintf(stderr, "open failed: %s\n",
                     opened.status().ToString().c_str());
        return 1;
      }
      std::printf("%s open of %llu entries: %.1f ms\n",
                  read_only ? "read-only" : "writable",
                  static_cast<unsigned long long>((*opened)->Size()), ms);
    }
  }
  return 0;
}
