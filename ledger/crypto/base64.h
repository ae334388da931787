// Strict standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /, with
// '=' padding), as used by every text format of the ledger: key files, C2SP
// signed notes and checkpoints. Thread-safe (pure functions).
#ifndef LEDGER_CRYPTO_BASE64_H_
#define LEDGER_CRYPTO_BASE64_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ledger::crypto {

// Returns the padded standard base64 encoding of `data`.
std::string Base64Encode(absl::string_view data);

// Decodes padded standard base64. Rejects (kInvalidArgument) any character
// outside the alphabet (including whitespace and newlines), missing or extra
// padding, the URL-safe alphabet, and non-zero unused bits in the last
// character, so every byte string has exactly one accepted encoding.
absl::StatusOr<std::string> Base64Decode(absl::string_view text);

}  // namespace ledger::crypto

#endif  // LEDGER_CRYPTO_BASE64_H_
