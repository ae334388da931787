// Small readers of /proc and the file system for benchmark reports.
#ifndef TESTS_BENCH_SYSTEM_INFO_H_
#define TESTS_BENCH_SYSTEM_INFO_H_

#include <cstdint>
#include <string>

namespace ledger::bench {

// A field of /proc/self/status in bytes, e.g. "VmRSS" or "VmHWM"; 0 when
// absent.
uint64_t ProcStatusBytes(const std::string& field);
// The "model name" of the first CPU in /proc/cpuinfo; "" when absent.
std::string CpuModel();
// The first three fields of /proc/loadavg.
std::string LoadAverage();
// CPU time the calling thread has used (user + system), in seconds: on a
// machine shared with other work, a rate per CPU-second is steadier than a
// wall-clock rate.
double ThreadCpuSeconds();
// Bytes allocated on disk (st_blocks × 512) under `path`, like du.
uint64_t DiskUsageBytes(const std::string& path);

}  // namespace ledger::bench

#endif  // TESTS_BENCH_SYSTEM_INFO_H_
