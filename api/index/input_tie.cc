#include "api/index/input_tie.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace api::index {

absl::StatusOr<uint64_t> CheckUpdateInInput(client::LogReader& input,
                                            const vindex::IndexUpdate& update) {
  if (update.input_origin != input.Origin()) {
    return absl::DataLossError(absl::StrCat("the index is of log \"",
                                            update.input_origin, "\", not \"",
                                            input.Origin(), "\""));
  }
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint latest, input.LatestCheckpoint());
  const vindex::IndexState& s = update.state;
  if (s.input_size > latest.fields.size) {
    return absl::DataLossError(absl::StrCat(
        "the index is as of input size ", s.input_size,
        ", beyond the input log's verified size ", latest.fields.size));
  }
  if (s.input_size == 0) return latest.fields.size;
  // Only the fields take part in a consistency check: the update's (size,
  // root) stands in for a checkpoint of the input log at that size.
  client::VerifiedCheckpoint claimed;
  claimed.fields.origin = update.input_origin;
  claimed.fields.size = s.input_size;
  claimed.fields.root = s.input_root;
  absl::StatusOr<std::vector<ledger::merkle::Hash>> proof =
      input.ProveConsistency(claimed, latest);
  if (!proof.ok()) {
    return absl::DataLossError(
        absl::StrCat("the index's input root at size ", s.input_size,
                     " is not a prefix of the input log's checkpoint of size ",
                     latest.fields.size, ": ", proof.status().message()));
  }
  return latest.fields.size;
}

}  // namespace api::index
