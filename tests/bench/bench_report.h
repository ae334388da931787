// Prints BenchResults as a table of figure / measured / physical limit /
// target / met, or as one JSON object.
#ifndef TESTS_BENCH_BENCH_REPORT_H_
#define TESTS_BENCH_BENCH_REPORT_H_

#include <string>

#include "tests/bench/ledger_bench.h"

namespace ledger::bench {

// The targets, as fractions of limits measured in the same run.
inline constexpr double kAppendTargetOfTwoCoreVerify = 0.70;
inline constexpr double kInclusionTargetPerSecond = 100'000;
inline constexpr double kAuditTargetOfVerify = 0.90;

std::string FormatTable(const BenchOptions& options, const BenchResults& r);
std::string FormatJson(const BenchOptions& options, const BenchResults& r);

}  // namespace ledger::bench

#endif  // TESTS_BENCH_BENCH_REPORT_H_
