#include "office/index_check.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/output_log.h"
#include "office/mirror_log_reader.h"

namespace office {

absl::StatusOr<std::optional<IndexMismatch>> IndexCheck::Check(
    uint64_t first, absl::Span<const std::string> leaves) {
  if (replayer_ == nullptr || checked_ < first ||
      checked_ > first + leaves.size()) {
    ASSIGN_OR_RETURN(std::optional<IndexMismatch> bad, Rebuild(first));
    if (bad.has_value()) return bad;
  }
  // The input as verified now (its follower goes on meanwhile: later
  // updates wait for a later call).
  MirrorLogReader input(mirror_, input_origin_);
  ASSIGN_OR_RETURN(const api::client::VerifiedCheckpoint at,
                   input.LatestCheckpoint());
  for (uint64_t i = checked_ - first; i < leaves.size(); ++i) {
    ASSIGN_OR_RETURN(std::optional<IndexMismatch> bad,
                     CheckLeaf(first + i, leaves[i], input, at));
    if (bad.has_value()) return bad;
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<IndexMismatch>> IndexCheck::Rebuild(
    uint64_t first) {
  replayer_ = std::make_unique<api::index::IndexReplayer>(input_origin_);
  checked_ = 0;
  MirrorLogReader input(mirror_, input_origin_);
  ASSIGN_OR_RETURN(const api::client::VerifiedCheckpoint at,
                   input.LatestCheckpoint());
  // Visit stops at the first non-OK status; `done` only ends it early.
  const absl::Status done = absl::CancelledError("checked");
  absl::StatusOr<std::optional<IndexMismatch>> result = std::nullopt;
  absl::Status visited = mirror_->Visit(
      output_origin_, 0,
      [&](uint64_t index, absl::string_view leaf) -> absl::Status {
        if (index >= first) return done;
        result = CheckLeaf(index, leaf, input, at);
        if (!result.ok()) return result.status();
        return result->has_value() ? done : absl::OkStatus();
      });
  if (!visited.ok() && visited != done && result.ok()) return visited;
  if (result.ok() && !result->has_value() && checked_ != first) {
    replayer_.reset();
    return absl::FailedPreconditionError(
        absl::StrCat("the mirror of ", output_origin_, " holds ", checked_,
                     " leaves, not the ", first, " its follower committed"));
  }
  return result;
}

absl::StatusOr<std::optional<IndexMismatch>> IndexCheck::CheckLeaf(
    uint64_t index, absl::string_view leaf, api::client::LogReader& input,
    const api::client::VerifiedCheckpoint& at) {
  absl::StatusOr<std::optional<vindex::IndexUpdate>> update =
      vindex::IndexUpdateOfLeaf(index, leaf);
  if (!update.ok()) return Failed(index, update.status());
  if (update->has_value()) {
    const uint64_t wanted = (*update)->state.input_size;
    if (wanted > at.fields.size) {
      // Nothing changed yet: the same leaf is checked again next time.
      waiting_ = IndexInputWait{index, wanted, at.fields.size, {}, {}};
      return absl::UnavailableError(absl::StrCat(
          "output leaf ", index, " of ", output_origin_, " indexes ",
          input_origin_, " up to size ", wanted, "; the monitor verified ",
          at.fields.size, " of it so far: waiting for it"));
    }
    const uint64_t before = replayer_->input_size();
    absl::Status replayed = replayer_->Check(index, **update, input, at);
    input_leaves_read_ += replayer_->input_size() - before;
    if (!replayed.ok()) return Failed(index, replayed);
  }
  checked_ = index + 1;
  if (waiting_.has_value() && waiting_->leaf <= index) waiting_.reset();
  return std::nullopt;
}

absl::StatusOr<std::optional<IndexMismatch>> IndexCheck::Failed(
    uint64_t index, const absl::Status& why) {
  replayer_.reset();
  if (!absl::IsDataLoss(why)) return why;  // the wait stays as it was
  waiting_.reset();                        // a mismatch: the log stops
  return std::optional<IndexMismatch>(
      IndexMismatch{index, std::string(why.message())});
}

}  // namespace office
