#include "ledger/crypto/ed25519.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/sodium_init.h"

namespace ledger::crypto {
namespace {

constexpr size_t kSecretKeySize = crypto_sign_ed25519_SECRETKEYBYTES;  // 64
static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == kEd25519PublicKeySize);
static_assert(crypto_sign_ed25519_SEEDBYTES == kEd25519SeedSize);
static_assert(crypto_sign_ed25519_BYTES == kEd25519SignatureSize);

// The y coordinates (little-endian, sign bit cleared) of every point whose
// order divides 8, plus the two non-canonical encodings p and p + 1 of y = 0
// and y = 1. Same list as libsodium's ge25519_has_small_order().
constexpr uint8_t kSmallOrderY[][32] = {
    // y = 0: order 4.
    {0},
    // y = 1: the identity, order 1.
    {1},
    // Order 8.
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    // Order 8.
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    // y = p - 1: order 2.
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // y = p (non-canonical 0).
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // y = p + 1 (non-canonical 1).
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

// The group order L = 2^252 + 27742317777372353535851937790883648493,
// little-endian.
constexpr uint8_t kGroupOrder[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// True if the point encoding has a small-order y coordinate (either sign).
bool HasSmallOrder(const uint8_t* p) {
  for (const auto& y : kSmallOrderY) {
    if (std::memcmp(p, y, 31) == 0 && (p[31] & 0x7f) == y[31]) return true;
  }
  return false;
}

// True if the y coordinate (low 255 bits, little-endian) is below
// p = 2^255 - 19, i.e. the encoding is canonical.
bool IsCanonicalY(const uint8_t* p) {
  if ((p[31] & 0x7f) != 0x7f) return true;
  for (int i = 30; i >= 1; --i) {
    if (p[i] != 0xff) return true;
  }
  return p[0] < 0xed;
}

// True if the little-endian scalar s is below the group order L.
bool IsCanonicalScalar(const uint8_t* s) {
  for (int i = 31; i >= 0; --i) {
    if (s[i] != kGroupOrder[i]) return s[i] < kGroupOrder[i];
  }
  return false;  // s == L.
}

const uint8_t* Bytes(absl::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace

absl::StatusOr<PublicKey> PublicKey::FromBytes(absl::string_view bytes) {
  RETURN_IF_ERROR(InitSodium());
  if (bytes.size() != kEd25519PublicKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 public key: got ", bytes.size(), " bytes, want ",
                     kEd25519PublicKeySize));
  }
  const uint8_t* p = Bytes(bytes);
  if (!IsCanonicalY(p)) {
    return absl::InvalidArgumentError(
        "Ed25519 public key: non-canonical encoding (y >= 2^255 - 19)");
  }
  if (HasSmallOrder(p)) {
    return absl::InvalidArgumentError(
        "Ed25519 public key: small-order point (order divides 8); signatures "
        "under it can be forged");
  }
  if (crypto_core_ed25519_is_valid_point(p) != 1) {
    return absl::InvalidArgumentError(
        "Ed25519 public key: not a point of the prime-order subgroup (off the "
        "curve, or with a small-order component)");
  }
  std::array<uint8_t, kEd25519PublicKeySize> array;
  std::memcpy(array.data(), p, array.size());
  return PublicKey(array);
}

absl::Status PublicKey::Verify(absl::string_view message,
                               absl::string_view signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 signature: got ", signature.size(),
                     " bytes, want ", kEd25519SignatureSize));
  }
  const uint8_t* r = Bytes(signature);
  const uint8_t* s = r + 32;
  if (!IsCanonicalScalar(s)) {
    return absl::InvalidArgumentError(
        "Ed25519 signature: non-canonical S (S >= L, the group order)");
  }
  if (!IsCanonicalY(r)) {
    return absl::InvalidArgumentError(
        "Ed25519 signature: R is not canonically encoded (y >= 2^255 - 19)");
  }
  if (HasSmallOrder(r)) {
    return absl::InvalidArgumentError(
        "Ed25519 signature: R is a small-order point");
  }
  if (crypto_sign_ed25519_verify_detached(
          r, reinterpret_cast<const unsigned char*>(message.data()),
          message.size(), bytes_.data()) != 0) {
    return absl::UnauthenticatedError("signature does not verify");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SigningKey>> SigningKey::Generate() {
  RETURN_IF_ERROR(InitSodium());
  unsigned char seed[kEd25519SeedSize];
  randombytes_buf(seed, sizeof seed);
  auto key =
      FromSeed(absl::string_view(reinterpret_cast<char*>(seed), sizeof seed));
  sodium_memzero(seed, sizeof seed);
  return key;
}

absl::StatusOr<std::unique_ptr<SigningKey>> SigningKey::FromSeed(
    absl::string_view seed32) {
  RETURN_IF_ERROR(InitSodium());
  if (seed32.size() != kEd25519SeedSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 seed: got ", seed32.size(), " bytes, want ",
                     kEd25519SeedSize));
  }
  // sodium_malloc places the buffer between guard pages and already tries to
  // mlock it; the explicit sodium_mlock documents the intent (its failure,
  // e.g. under a small RLIMIT_MEMLOCK, is tolerated on purpose).
  auto* secret = static_cast<unsigned char*>(sodium_malloc(kSecretKeySize));
  if (secret == nullptr) {
    return absl::InternalError("libsodium: sodium_malloc failed for a key");
  }
  (void)sodium_mlock(secret, kSecretKeySize);  // Best effort; see above.
  std::array<uint8_t, kEd25519PublicKeySize> public_bytes;
  crypto_sign_ed25519_seed_keypair(public_bytes.data(), secret, Bytes(seed32));
  sodium_mprotect_readonly(secret);
  return std::unique_ptr<SigningKey>(
      new SigningKey(secret, PublicKey(public_bytes)));
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : secret_(std::exchange(other.secret_, nullptr)),
      public_key_(other.public_key_) {}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    SigningKey old(std::move(*this));  // Wiped and freed at scope exit.
    secret_ = std::exchange(other.secret_, nullptr);
    public_key_ = other.public_key_;
  }
  return *this;
}

SigningKey::~SigningKey() {
  if (secret_ == nullptr) return;
  sodium_mprotect_readwrite(secret_);
  sodium_memzero(secret_, kSecretKeySize);
  sodium_free(secret_);  // Also unlocks the pages.
  secret_ = nullptr;
}

std::string SigningKey::Sign(absl::string_view message) const {
  std::string signature(kEd25519SignatureSize, '\0');
  crypto_sign_ed25519_detached(
      reinterpret_cast<unsigned char*>(signature.data()), nullptr,
      Bytes(message), message.size(), secret_);
  return signature;
}

void SigningKey::ExportSeed(absl::Span<uint8_t> out) const {
  if (out.size() != kEd25519SeedSize) std::abort();  // Precondition.
  // libsodium's secret key is seed || public key.
  std::memcpy(out.data(), secret_, kEd25519SeedSize);
}

}  // namespace ledger::crypto
