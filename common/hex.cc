#include "common/hex.h"

#include "absl/strings/str_cat.h"

namespace common {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> DecodeHex(absl::string_view hex) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "got ", hex.size(), " hex characters, want an even number"));
  }
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < hex.size(); ++i) {
    const int v = HexValue(hex[i]);
    if (v < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "got non-hex character '", hex.substr(i, 1), "' at offset ", i));
    }
    out[i / 2] = static_cast<char>(out[i / 2] << 4 | v);
  }
  return out;
}

}  // namespace common
