// Minimal JSON string quoting for the tools' --json output (RFC 8259:
// quotes, backslash and control characters escaped; UTF-8 passed through).
// Header-only; thread-safe.
#ifndef COMMON_JSON_H_
#define COMMON_JSON_H_

#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"

namespace common {

// Returns `s` as a quoted JSON string.
inline std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

}  // namespace common

#endif  // COMMON_JSON_H_
