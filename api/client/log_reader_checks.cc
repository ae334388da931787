#include "api/client/log_reader_checks.h"

#include "absl/strings/str_cat.h"

namespace api::client {

absl::Status CheckLeafInTree(const VerifiedCheckpoint& at, uint64_t index) {
  if (index < at.fields.size) return absl::OkStatus();
  return absl::OutOfRangeError(absl::StrCat(
      "leaf ", index, " is beyond the checkpoint's size ", at.fields.size));
}

absl::Status CheckConsistencyOrder(const VerifiedCheckpoint& older,
                                   const VerifiedCheckpoint& newer) {
  if (older.fields.size <= newer.fields.size) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("consistency proof: from size ", older.fields.size,
                   " > to size ", newer.fields.size));
}

}  // namespace api::client
