// The physical limits a ledger benchmark is judged against, measured on this
// machine in the same run: how fast one core verifies Ed25519 signatures and
// hashes leaves, and how many synced RocksDB writes the disk takes per second.
//
// Each function runs for about `seconds` of wall time on the calling thread.
#ifndef TESTS_BENCH_PHYSICAL_LIMITS_H_
#define TESTS_BENCH_PHYSICAL_LIMITS_H_

#include <string>

#include "absl/status/statusor.h"

namespace ledger::bench {

// libsodium Ed25519 verifications per second of a `message_bytes` message,
// one core. kInternal when libsodium cannot be initialised.
absl::StatusOr<double> Ed25519VerifiesPerSecond(size_t message_bytes,
                                                double seconds);

// merkle::HashLeaf calls per second on a `leaf_bytes` leaf, one core.
double LeafHashesPerSecond(size_t leaf_bytes, double seconds);

// Synced storage::Store::Write calls per second, each one small batch (one
// 64-byte value), into a fresh database created in `dir` (must not exist).
// This is the fsync rate of the disk as RocksDB sees it.
absl::StatusOr<double> SyncedWritesPerSecond(const std::string& dir,
                                             double seconds);

}  // namespace ledger::bench

#endif  // TESTS_BENCH_PHYSICAL_LIMITS_H_
