// SHA-256 (FIPS 180-4) over byte strings, through libsodium. Used for key ids;
// the Merkle tree has its own hasher. Thread-safe (pure functions).
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
