// Ed25519 key files (format: ledger/crypto/FORMAT.md).
//
// Secret key file, mode 0600, exactly two lines:
//   aifl-ed25519-secret-key-v1\n
//   <base64 of the 32-byte RFC 8032 seed>\n
// Public key file (conventionally the secret file's name plus ".pub"):
//   aifl-ed25519-public-key-v1\n
//   <base64 of the 32-byte public key>\n
// Base64 is standard and padded (base64.h); nothing else is allowed in the
// file (no carriage returns, comments or trailing blank lines).
//
// Files are written with open(O_CREAT | O_EXCL | O_WRONLY), write, fsync and
// close, so an existing file is never overwritten. Buffers that held the seed
// are wiped with sodium_memzero. These functions use POSIX directly (no
// injected Env yet); they are thread-safe as far as the file system is.
#ifndef LEDGER_CRYPTO_KEY_FILE_H_
#define LEDGER_CRYPTO_KEY_FILE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ledger/crypto/ed25519.h"

namespace ledger::crypto {

inline constexpr absl::string_view kSecretKeyFileHeader =
    "aifl-ed25519-secret-key-v1";
inline constexpr absl::string_view kPublicKeyFileHeader =
    "aifl-ed25519-public-key-v1";

// Writes `key`'s seed to a new file `path` with mode 0600 (the umask cannot
// widen it). Errors: kAlreadyExists if `path` exists (never overwritten);
// kPermissionDenied / kNotFound / kInternal for other open() failures, and
// kInternal for write or fsync failures (the partial file is removed).
absl::Status WriteSecretKeyFile(const std::string& path, const SigningKey& key);

// Reads a secret key file. Errors: kNotFound if missing; kPermissionDenied if
// the file grants any permission to group or others ("key file K is readable
// by others (mode 0644); chmod 600 it") or cannot be opened; kInvalidArgument
// if the content is not the exact format ("key file K: line N: got ..., want
// ..."); kInternal for read failures.
absl::StatusOr<std::unique_ptr<SigningKey>> ReadSecretKeyFile(
    const std::string& path);

// Writes a public key file with mode 0644. Errors as WriteSecretKeyFile.
absl::Status WritePublicKeyFile(const std::string& path, const PublicKey& key);

// Reads a public key file (any mode). kInvalidArgument for malformed content
// or a key PublicKey::FromBytes rejects; kNotFound / kPermissionDenied /
// kInternal as ReadSecretKeyFile.
absl::StatusOr<PublicKey> ReadPublicKeyFile(const std::string& path);

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_KEY_FILE_H_
