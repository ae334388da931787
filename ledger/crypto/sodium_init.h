// One-time, thread-safe libsodium initialisation for the crypto library.
//
// Every entry point of //ledger/crypto that needs libsodium (key generation,
// sodium_malloc, point checks, signing, verification) calls InitSodium()
// first, so callers never call sodium_init() themselves. The first call runs
// sodium_init() inside a function-local static (thread-safe since C++11);
// later calls only read the cached result.
#ifndef LEDGER_CRYPTO_SODIUM_INIT_H_
#define LEDGER_CRYPTO_SODIUM_INIT_H_

#include "absl/status/status.h"

namespace ledger::crypto {

// Returns OK once libsodium is initialised; kInternal if sodium_init() failed
// (the result is cached: a failure is reported on every call).
absl::Status InitSodium();

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_SODIUM_INIT_H_
