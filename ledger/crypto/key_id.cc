#include "ledger/crypto/key_id.h"

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ledger/crypto/sha256.h"

namespace ledger::crypto {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<KeyId> KeyId::FromString(absl::string_view hex) {
  if (hex.size() != 2 * kKeyIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id: got ", hex.size(), " characters (\"", hex,
                     "\"), want ", 2 * kKeyIdSize, " hex digits"));
  }
  std::array<uint8_t, kKeyIdSize> bytes;
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "key id: got \"", hex, "\", want ", 2 * kKeyIdSize, " hex digits"));
    }
    bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
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
