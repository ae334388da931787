// Process-wide settings for shipped binaries (servers, tools, benchmarks).
//
// Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock
// detector on: every lock taken while another is held walks a global
// lock-order graph under a global lock. Profiling the proof path showed ~10 %
// of its CPU in GraphCycles, and it serialises otherwise parallel readers.
// Tests keep the detector (it finds real lock-order bugs); binaries call
// UseProductionRuntime() first thing in main().
#ifndef COMMON_PRODUCTION_RUNTIME_H_
#define COMMON_PRODUCTION_RUNTIME_H_

namespace common {

void UseProductionRuntime();

}  // namespace common

#endif  // COMMON_PRODUCTION_RUNTIME_H_
