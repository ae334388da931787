#include "ledger/merkle/hash.h"

#include <sodium.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/hex.h"
#include "ledger/crypto/base64.h"
#include "ledger/crypto/sha256.h"

namespace ledger::merkle {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;
constexpr size_t kBase64Size = 44;  // 4 * ceil(32 / 3), padded.

absl::string_view Bytes(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// libsodium asks for sodium_init() before use (of its base64 codec here). It
// needs no runtime CPU dispatch for that, but we honour the contract once,
// thread-safely.
void EnsureSodiumInitialized() {
  static const bool initialized = sodium_init() >= 0;
  (void)initialized;  // sodium_init only fails without an entropy source,
                      // which SHA-256 and the codecs do not use.
}

}  // namespace

Hash HashLeaf(absl::string_view leaf_bytes) {
  return crypto::Sha256({Bytes(&kLeafPrefix, 1), leaf_bytes});
}

Hash HashChildren(const Hash& left, const Hash& right) {
  return crypto::Sha256({Bytes(&kNodePrefix, 1),
                         Bytes(left.data(), left.size()),
                         Bytes(right.data(), right.size())});
}

Hash EmptyRoot() { return crypto::Sha256({}); }

Hash FoldSubtrees(absl::Span<const Hash> subtree_hashes) {
  if (subtree_hashes.empty()) return EmptyRoot();
  Hash acc = subtree_hashes.back();
  for (size_t i = subtree_hashes.size() - 1; i-- > 0;) {
    acc = HashChildren(subtree_hashes[i], acc);
  }
  return acc;
}

std::string HashToHex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * kHashSize, '0');
  for (size_t i = 0; i < kHashSize; ++i) {
    out[2 * i] = kDigits[hash[i] >> 4];
    out[2 * i + 1] = kDigits[hash[i] & 0xf];
  }
  return out;
}

absl::StatusOr<Hash> HashFromHex(absl::string_view hex) {
  if (hex.size() != 2 * kHashSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hex hash: got ", hex.size(), " characters, want ", 2 * kHashSize));
  }
  absl::StatusOr<std::string> bytes = common::DecodeHex(hex);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("hex hash: ", bytes.status().message()));
  }
  Hash out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

std::string HashToBase64(const Hash& hash) {
  EnsureSodiumInitialized();
  char buf[kBase64Size + 1];  // sodium_bin2base64 writes a trailing NUL.
  sodium_bin2base64(buf, sizeof(buf), hash.data(), hash.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  return std::string(buf, kBase64Size);
}

absl::StatusOr<Hash> HashFromBase64(absl::string_view base64) {
  EnsureSodiumInitialized();
  if (base64.size() != kBase64Size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "base64 hash: got ", base64.size(), " characters, want ", kBase64Size));
  }
  // One strict decoder for the project (crypto/base64.h): canonical padded
  // standard base64, alphabet checked.
  absl::StatusOr<std::string> decoded = crypto::Base64Decode(base64);
  if (!decoded.ok() || decoded->size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("base64 hash: \"", base64,
                     "\" is not canonical padded standard base64 of 32 bytes"));
  }
  Hash out;
  std::copy(decoded->begin(), decoded->end(), out.begin());
  return out;
}

}  // namespace ledger::merkle
