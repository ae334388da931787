#include "ledger/crypto/key_id.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/hex.h"
#include "ledger/crypto/sha256.h"

namespace ledger::crypto {
absl::StatusOr<KeyId> KeyId::FromString(absl::string_view hex) {
  if (hex.size() != 2 * kKeyIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id: got ", hex.size(), " characters (\"", hex,
                     "\"), want ", 2 * kKeyIdSize, " hex digits"));
  }
  absl::StatusOr<std::string> decoded = common::DecodeHex(hex);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key id: got \"", hex, "\", want ", 2 * kKeyIdSize, " hex digits"));
  }
  std::array<uint8_t, kKeyIdSize> bytes;
  std::copy(decoded->begin(), decoded->end(), bytes.begin());
  return KeyId(bytes);
}

std::string KeyId::ToString() const {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

KeyId ComputeKeyId(const PublicKey& key) {
  const Sha256Digest digest = Sha256({kKeyIdContext, key.bytes()});
  std::array<uint8_t, kKeyIdSize> bytes;
  std::memcpy(bytes.data(), digest.data(), kKeyIdSize);
  return KeyId(bytes);
}

}  // namespace ledger::crypto
