#include "ledger/crypto/sodium_init.h"

#include <sodium.h>

namespace ledger::crypto {

absl::Status InitSodium() {
  // sodium_init() returns 0 on first success, 1 when already initialised and
  // -1 on failure. The static makes the call happen exactly once.
  static const int result = sodium_init();
  if (result < 0) {
    return absl::InternalError("libsodium: sodium_init() failed");
  }
  return absl::OkStatus();
}

}  // namespace ledger::crypto
