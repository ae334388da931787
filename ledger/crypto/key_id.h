// The ledger's key id: a stable 16-byte name for an Ed25519 public key, used
// by the key registry and in entry envelopes.
//
//   KeyId = SHA-256("aifl key id v1\n" || 32-byte public key)[0:16]
//
// ("aifl key id v1\n" is the 15 ASCII bytes shown, ending in one 0x0A.) Its
// text form is 32 lowercase hex digits. Not to be confused with the 4-byte C2SP
// signed-note key id (ledger/note). Thread-safe (values).
#ifndef LEDGER_CRYPTO_KEY_ID_H_
#define LEDGER_CRYPTO_KEY_ID_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/crypto/ed25519.h"

namespace ledger::crypto {

inline constexpr absl::string_view kKeyIdContext = "aifl key id v1\n";
inline constexpr size_t kKeyIdSize = 16;

class KeyId {
 public:
  explicit KeyId(const std::array<uint8_t, kKeyIdSize>& bytes)
      : bytes_(bytes) {}

  // Parses exactly 32 hex digits (either case). kInvalidArgument otherwise.
  static absl::StatusOr<KeyId> FromString(absl::string_view hex);

  // 32 lowercase hex digits.
  std::string ToString() const;

  const std::array<uint8_t, kKeyIdSize>& bytes() const { return bytes_; }

  friend bool operator==(const KeyId& a, const KeyId& b) {
    return a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const KeyId& a, const KeyId& b) { return !(a == b); }
  friend bool operator<(const KeyId& a, const KeyId& b) {
    return a.bytes_ < b.bytes_;
  }
  template <typename H>
  friend H AbslHashValue(H h, const KeyId& id) {
    return H::combine(std::move(h), id.bytes_);
  }

 private:
  std::array<uint8_t, kKeyIdSize> bytes_;
};

// Returns the KeyId of `key` (definition above).
KeyId ComputeKeyId(const PublicKey& key);

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_KEY_ID_H_
