#include "ledger/crypto/base64.h"

#include <sodium.h>

#include <array>
#include <cstdint>

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

// Each byte's 6-bit value, or -1 for every byte outside the alphabet ('='
// included: padding is handled apart, at the end only).
//
// A table rather than libsodium's sodium_base642bin, which decodes in
// constant time (a secret-free input does not need it) at ~8 ns a
// character: a witness decodes ~700 characters of proof hashes and
// signatures per add-checkpoint request, 6 us of its ~150 (issue 17). The
// table also settles what Debian's libsodium 1.0.18 got wrong: it accepted
// bytes >= 0x80 as alphabet characters (found by tests/fuzz:note_fuzz).
// base64_test checks this decoder against libsodium's on every other input.
constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (size_t i = 0; i < table.size(); ++i) table[i] = -1;
  constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int v = 0; v < 64; ++v) {
    table[static_cast<uint8_t>(kAlphabet[v])] = static_cast<int8_t>(v);
  }
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

int32_t Value(char c) { return kDecode[static_cast<uint8_t>(c)]; }

// Decodes `text` (padded, a multiple of 4 characters) into `out`; false if
// any character is outside the alphabet, padding is misplaced or the unused
// bits before the padding are not zero.
bool DecodeStrict(absl::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') {
    pad = text[text.size() - 2] == '=' ? 2 : 1;
  }
  out.resize(text.size() / 4 * 3 - pad);
  char* o = out.data();
  const char* in = text.data();
  const size_t full_groups = text.size() / 4 - (pad == 0 ? 0 : 1);
  int32_t invalid = 0;  // Negative once any character was outside.
  for (size_t g = 0; g < full_groups; ++g, in += 4, o += 3) {
    const int32_t a = Value(in[0]), b = Value(in[1]), c = Value(in[2]),
                  d = Value(in[3]);
    invalid |= a | b | c | d;
    const uint32_t v = static_cast<uint32_t>(a) << 18 |
                       static_cast<uint32_t>(b) << 12 |
                       static_cast<uint32_t>(c) << 6 | static_cast<uint32_t>(d);
    o[0] = static_cast<char>(v >> 16);
    o[1] = static_cast<char>(v >> 8);
    o[2] = static_cast<char>(v);
  }
  if (pad == 2) {  // "xy==": one byte; y's low 4 bits unused, must be zero.
    const int32_t a = Value(in[0]), b = Value(in[1]);
    if ((a | b) < 0 || (b & 0x0f) != 0) return false;
    o[0] = static_cast<char>(a << 2 | b >> 4);
  } else if (pad == 1) {  // "xyz=": two bytes; z's low 2 bits must be zero.
    const int32_t a = Value(in[0]), b = Value(in[1]), c = Value(in[2]);
    if ((a | b | c) < 0 || (c & 0x03) != 0) return false;
    o[0] = static_cast<char>(a << 2 | b >> 4);
    o[1] = static_cast<char>((b & 0x0f) << 4 | c >> 2);
  }
  return invalid >= 0;
}

}  // namespace

absl::StatusOr<std::string> Base64Decode(absl::string_view text) {
  std::string out;
  if (!DecodeStrict(text, out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not canonical padded standard base64 (RFC 4648 "
                     "section 4): \"",
                     text.size() > 100 ? absl::StrCat(text.substr(0, 100), "…")
                                       : std::string(text),
                     "\""));
  }
  return out;
}

}  // namespace ledger::crypto
