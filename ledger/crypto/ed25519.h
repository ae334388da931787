// Ed25519 (RFC 8032, pure Ed25519) signing keys and public keys over libsodium.
//
// Shapes follow Tink's PublicKeySign / PublicKeyVerify: a SigningKey signs
// bytes, a PublicKey verifies bytes; neither knows what the bytes mean.
// libsodium is initialised on first use (see sodium_init.h).
//
// Thread-safety: both classes are immutable after construction; const methods
// may be called concurrently.
#ifndef LEDGER_CRYPTO_ED25519_H_
#define LEDGER_CRYPTO_ED25519_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ledger::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// A 32-byte Ed25519 public key (RFC 8032 section 5.1.2 encoding) that is known
// to be a usable key: every PublicKey was checked by FromBytes or derived from
// a SigningKey.
class PublicKey {
 public:
  // Parses a 32-byte encoded public key. Rejects, with kInvalidArgument and a
  // message naming the reason:
  //   - a length other than 32 bytes;
  //   - a non-canonical encoding: the y coordinate (the low 255 bits) is not
  //     below p = 2^255 - 19;
  //   - small-order points (order 1, 2, 4 or 8), with either sign bit: the
  //     identity (y = 1, includes the all-zero-but-one key 01 00..00), y = 0
  //     (this includes the all-zero key), y = p - 1, and the two order-8 y
  //     values; signatures under such keys can be forged for any message;
  //   - encodings that are not a curve point, and points with a small-order
  //     component (not in the prime-order subgroup), via libsodium's
  //     crypto_core_ed25519_is_valid_point. Keys made by any RFC 8032 key
  //     generator (A = a*B) are always in the prime-order subgroup.
  static absl::StatusOr<PublicKey> FromBytes(absl::string_view bytes);

  // Verifies an Ed25519 signature of `message` (RFC 8032 section 5.1.7,
  // cofactorless equation [S]B = R + [k]A, as libsodium computes it).
  // Returns:
  //   - OK when the signature is valid;
  //   - kInvalidArgument when the signature is malformed, so no key can have
  //     made it: length other than 64 bytes, non-canonical S (S >= L, the
  //     group order; this is what makes signatures non-malleable), R not
  //     canonically encoded (y >= p), or R of small order;
  //   - kUnauthenticated with message "signature does not verify" when it is
  //     well-formed but not a signature of `message` under this key (wrong
  //     key, altered message or signature).
  // Callers that read the signature from storage they trust should map both
  // error codes to kDataLoss.
  absl::Status Verify(absl::string_view message,
                      absl::string_view signature) const;

  // The 32-byte encoding.
  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(bytes_.data()),
                             bytes_.size());
  }
  const std::array<uint8_t, kEd25519PublicKeySize>& array() const {
    return bytes_;
  }

  friend bool operator==(const PublicKey& a, const PublicKey& b) {
    return a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const PublicKey& a, const PublicKey& b) {
    return !(a == b);
  }

 private:
  friend class SigningKey;
  explicit PublicKey(const std::array<uint8_t, kEd25519PublicKeySize>& bytes)
      : bytes_(bytes) {}

  std::array<uint8_t, kEd25519PublicKeySize> bytes_;
};

// An Ed25519 private key. The libsodium 64-byte secret key (seed || public
// key) lives in sodium_malloc memory (guard pages, canary), sodium_mlock()ed
// where the system allows it (failure to lock is tolerated: RLIMIT_MEMLOCK),
// made read-only after construction and wiped (sodium_free zeroes it) in the
// destructor. Move-only; a moved-from key must not be used except to be
// destroyed or assigned to.
class SigningKey {
 public:
  // Generates a fresh key from libsodium's CSPRNG. kInternal if libsodium
  // cannot be initialised or secure memory cannot be allocated.
  static absl::StatusOr<std::unique_ptr<SigningKey>> Generate();

  // Derives the key from a 32-byte RFC 8032 private key ("seed").
  // kInvalidArgument if `seed32` is not 32 bytes; kInternal as Generate().
  // The caller remains responsible for wiping its copy of the seed.
  static absl::StatusOr<std::unique_ptr<SigningKey>> FromSeed(
      absl::string_view seed32);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // Returns the 64-byte Ed25519 signature of `message` (deterministic: the
  // same key and message always give the same bytes).
  std::string Sign(absl::string_view message) const;

  const PublicKey& public_key() const { return public_key_; }

  // Copies the 32-byte seed into `out`, for writing a key file (key_file.h)
  // and nothing else. REQUIRES: out.size() == kEd25519SeedSize. The caller
  // must wipe `out` (sodium_memzero) when done.
  void ExportSeed(absl::Span<uint8_t> out) const;

 private:
  SigningKey(unsigned char* secret, const PublicKey& public_key)
      : secret_(secret), public_key_(public_key) {}

  unsigned char* secret_;  // 64 bytes, sodium_malloc; owned; null if moved.
  PublicKey public_key_;
};

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_ED25519_H_
