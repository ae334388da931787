// The one hex decoder (for key ids, hashes and note key ids typed by people
// or read from files). Encoding needs no helper: absl::BytesToHexString.
#ifndef COMMON_HEX_H_
#define COMMON_HEX_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace common {

// The bytes that `hex` spells, two digits a byte, digits in either case; ""
// for "". kInvalidArgument, for the caller to prefix with what was parsed:
//   "got 3 hex characters, want an even number"
//   "got non-hex character 'g' at offset 7"
// Unlike absl::HexStringToBytes, bad input is an error, never garbage.
absl::StatusOr<std::string> DecodeHex(absl::string_view hex);

}  // namespace common

#endif  // COMMON_HEX_H_
