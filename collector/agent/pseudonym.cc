#include "collector/agent/pseudonym.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"

namespace collector {
namespace agent {

absl::StatusOr<Pseudonymizer> Pseudonymizer::Create(absl::string_view secret) {
  if (sodium_init() < 0) return absl::InternalError("sodium_init failed");
  if (secret.size() < crypto_auth_hmacsha256_KEYBYTES) {
    return absl::InvalidArgumentError(
        absl::StrCat("factory secret: got ", secret.size(),
                     " bytes, want >= ", crypto_auth_hmacsha256_KEYBYTES));
  }
  // Longer secrets are hashed down to the key size.
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  crypto_hash_sha256(key, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size());
  return Pseudonymizer(std::string(reinterpret_cast<char*>(key), sizeof(key)));
}

std::string Pseudonymizer::Pseudonymize(absl::string_view user) const {
  if (user.empty()) return "";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(
      mac, reinterpret_cast<const unsigned char*>(user.data()), user.size(),
      reinterpret_cast<const unsigned char*>(key_.data()));
  char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
  return absl::StrCat("hmac-sha256:", hex);
}

}  // namespace agent
}  // namespace collector
