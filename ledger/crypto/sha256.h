// SHA-256 (FIPS 180-4) over byte strings: the one SHA-256 of the ledger. Key
// ids, note key ids, tile ETags and the Merkle tree's leaf and node hashes
// (ledger/merkle/hash.h) all call Sha256().
//
// It runs on OpenSSL's libcrypto, which picks the CPU's SHA extensions
// (SHA-NI) at run time: 0.13 µs per Merkle node hash (65 bytes) on this
// machine's CPUs against libsodium's 0.51 µs (docs/PERFORMANCE.md). libsodium
// stays the library for Ed25519. Thread-safe (pure functions, no shared state).
#ifndef LEDGER_CRYPTO_SHA256_H_
#define LEDGER_CRYPTO_SHA256_H_

#include <array>
#include <cstdint>
#include <initializer_list>

#include "absl/strings/string_view.h"

namespace ledger::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

// Returns SHA-256 of the concatenation of `parts`, in order.
Sha256Digest Sha256(std::initializer_list<absl::string_view> parts);

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_SHA256_H_
