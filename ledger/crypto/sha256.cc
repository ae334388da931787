#include "ledger/crypto/sha256.h"

#include <sodium.h>

namespace ledger::crypto {

Sha256Digest Sha256(std::initializer_list<absl::string_view> parts) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (absl::string_view part : parts) {
    crypto_hash_sha256_update(
        &state, reinterpret_cast<const unsigned char*>(part.data()),
        part.size());
  }
  Sha256Digest digest;
  crypto_hash_sha256_final(&state, digest.data());
  return digest;
}

}  // namespace ledger::crypto
