#include "ledger/crypto/base64.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"

namespace ledger::crypto {

std::string Base64Encode(absl::string_view data) {
  const size_t encoded_len =
      sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(encoded_len, '\0');  // Includes the trailing NUL.
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(encoded_len - 1);
  return out;
}

namespace {

// Debian's libsodium 1.0.18 sodium_base642bin accepts bytes >= 0x80 as if
// they were alphabet characters (found by tests/fuzz:note_fuzz), so the
// alphabet is checked here first: otherwise one value would have several
// accepted encodings.
bool OnlyBase64Alphabet(absl::string_view text) {
  for (unsigned char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> Base64Decode(absl::string_view text) {
  // Decoded length is at most 3/4 of the input.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t out_len = 0;
  // ignore = nullptr: no whitespace tolerated. b64_end = nullptr: the whole
  // input must be consumed. libsodium also rejects non-zero padding bits.
  if (!OnlyBase64Alphabet(text) ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(),
                        /*ignore=*/nullptr, &out_len, /*b64_end=*/nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("not canonical padded standard base64 (RFC 4648 "
                     "section 4): \"",
                     text.size() > 100 ? absl::StrCat(text.substr(0, 100), "…")
                                       : std::string(text),
                     "\""));
  }
  out.resize(out_len);
  return out;
}

}  // namespace ledger::crypto
