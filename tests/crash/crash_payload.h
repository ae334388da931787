// What the crash test's writers append, as pure functions of (writer,
// sequence), so the test can recompute every acknowledged envelope byte for
// byte: same seed key, origin, sequence and payload give the same Ed25519
// signature and hence the same envelope. Shared by append_loop_main.cc and
// crash_test.cc. Thread-safe (pure).
#ifndef TESTS_CRASH_CRASH_PAYLOAD_H_
#define TESTS_CRASH_CRASH_PAYLOAD_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace crash {

// The origin of the ledger the crash test creates.
// Leaves per stored index run (LedgerOptions::index_run_leaves) in the
// crash tests: small and odd, so that kills land before, during and after
// the groups that write runs, at every offset.
inline constexpr uint64_t kCrashIndexRunLeaves = 97;
inline constexpr absl::string_view kCrashOrigin = "crash.test.example/ledger";
// A collector payload type (collector keys may sign aifl.collector.v1.*):
// the opaque one, which the server's payload validation lets through
// (api/README.md, "Payload validation").
inline constexpr absl::string_view kCrashPayloadType = "aifl.collector.v1.Blob";
// How many writers (threads, each with its own collector key) append.
inline constexpr int kCrashWriters = 2;

// The payload writer `writer` signs under `sequence`: names both, padded
// with filler of a length (0..255) and content derived from them.
std::string CrashPayload(int writer, uint64_t sequence);

// The 32-byte Ed25519 seed of writer `writer`'s collector key.
std::string CrashKeySeed(int writer);

}  // namespace crash

#endif  // TESTS_CRASH_CRASH_PAYLOAD_H_
