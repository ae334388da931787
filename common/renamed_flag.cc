#include "common/renamed_flag.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/version.h"

namespace common {

absl::StatusOr<std::string> ResolveRenamedFlag(absl::string_view program,
                                               absl::string_view old_name,
                                               const std::string& old_value,
                                               absl::string_view new_name,
                                               const std::string& new_value,
                                               std::ostream& err) {
  if (old_value.empty()) return new_value;
  if (!new_value.empty() && new_value != old_value) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", old_name, " (deprecated) and --", new_name, " disagree: got \"",
        old_value, "\" and \"", new_value, "\"; give --", new_name, " only"));
  }
  err << program << ": --" << old_name << " is deprecated: use --" << new_name
      << " (the old name is removed in " << kRenamedFlagsRemovedIn << ")\n";
  return old_value;
}

}  // namespace common
