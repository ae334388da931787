#include "ledger/crypto/sha256.h"

// The low-level SHA256_Init/Update/Final are deprecated in OpenSSL 3.0 in
// favour of EVP, but they are still shipped and still dispatch to SHA-NI,
// with no provider lookup and no heap context: for the 65-byte messages of
// Merkle nodes, EVP_Digest with a pre-fetched EVP_MD measured 1.4–1.7x slower
// here. Should a future OpenSSL drop them, EVP_Digest is the
// replacement, here and nowhere else.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace ledger::crypto {

Sha256Digest Sha256(std::initializer_list<absl::string_view> parts) {
  SHA256_CTX context;
  // These return 1 always for SHA-256 (they only fail on a null context).
  SHA256_Init(&context);
  for (absl::string_view part : parts) {
    SHA256_Update(&context, part.data(), part.size());
  }
  Sha256Digest digest;
  SHA256_Final(digest.data(), &context);
  return digest;
}

}  // namespace ledger::crypto
