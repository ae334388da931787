// Renamed command-line flags: the old name keeps working for one release,
// with one deprecation line on stderr. Used by every binary's main (Abseil
// flags: define the old flag too, then resolve it here after parsing) and by
// compliance_check's own parser. Thread-compatible; no state.
#ifndef COMMON_RENAMED_FLAG_H_
#define COMMON_RENAMED_FLAG_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace common {

// Returns the value the new flag `new_name` takes when the deprecated
// `old_name` may also have been given:
//  - `old_value` empty: `new_value`, nothing printed;
//  - `old_value` set, `new_value` empty: `old_value`, after one line on
//    `err`: "<program>: --<old_name> is deprecated: use --<new_name> (the
//    old name is removed in <release>)";
//  - both set and equal: the same line, then that value;
//  - both set and different: kInvalidArgument naming both flags (nothing
//    printed).
// Flag names are given without the leading dashes.
absl::StatusOr<std::string> ResolveRenamedFlag(absl::string_view program,
                                               absl::string_view old_name,
                                               const std::string& old_value,
                                               absl::string_view new_name,
                                               const std::string& new_value,
                                               std::ostream& err);

}  // namespace common

#endif  // COMMON_RENAMED_FLAG_H_
