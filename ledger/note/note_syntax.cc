#include "ledger/note/note_syntax.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ledger::note {
namespace {

constexpr uint32_t kInvalid = 0xffffffff;

// Decodes one code point at text[i]; sets `len` to the bytes consumed.
// Returns kInvalid (len = 1) for any ill-formed sequence, like Go's
// utf8.DecodeRune returning RuneError with size 1.
uint32_t DecodeRune(absl::string_view text, size_t i, size_t& len) {
  const auto byte = [&](size_t k) -> uint32_t {
    return static_cast<uint8_t>(text[k]);
  };
  len = 1;
  const uint32_t b0 = byte(i);
  if (b0 < 0x80) return b0;
  size_t n;
  uint32_t cp, min;
  if ((b0 & 0xe0) == 0xc0) {
    n = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    n = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return kInvalid;
  }
  if (i + n > text.size()) return kInvalid;
  for (size_t k = 1; k < n; ++k) {
    const uint32_t b = byte(i + k);
    if ((b & 0xc0) != 0x80) return kInvalid;
    cp = cp << 6 | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return kInvalid;
  }
  len = n;
  return cp;
}

bool IsUnicodeSpace(uint32_t cp) {
  switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

}  // namespace

bool IsValidKeyName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size();) {
    size_t len;
    const uint32_t cp = DecodeRune(name, i, len);
    if (cp == kInvalid || cp < 0x20 || cp == '+' || IsUnicodeSpace(cp)) {
      return false;
    }
    i += len;
  }
  return true;
}

absl::Status CheckNoteCharacters(absl::string_view text) {
  size_t line = 1;
  for (size_t i = 0; i < text.size();) {
    // Printable ASCII, nearly every byte of a checkpoint, without the call
    // into DecodeRune (checked three times per add-checkpoint request).
    const auto b = static_cast<uint8_t>(text[i]);
    if (b >= 0x20 && b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    const uint32_t cp = DecodeRune(text, i, len);
    if (cp == kInvalid) {
      return absl::InvalidArgumentError(
          absl::StrCat("note: line ", line, ": invalid UTF-8 at byte ", i));
    }
    if (cp < 0x20 && cp != '\n') {
      return absl::InvalidArgumentError(absl::StrFormat(
          "note: line %d: control character 0x%02x at byte %d; only newline "
          "is allowed",
          line, cp, i));
    }
    if (cp == '\n') ++line;
    i += len;
  }
  return absl::OkStatus();
}

}  // namespace ledger::note
