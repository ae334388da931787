#include "office/mirror_log_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/compact_range.h"

namespace office {
namespace {

absl::Status NoProofs(absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat("the monitor's mirror serves verified leaves, not ", what));
}

}  // namespace

std::string MirrorLogReader::Source() const {
  return absl::StrCat("the monitor's mirror of ", origin_);
}

absl::StatusOr<api::client::VerifiedCheckpoint>
MirrorLogReader::LatestCheckpoint() {
  ASSIGN_OR_RETURN(std::optional<FollowState> state,
                   mirror_->LoadFollowState(origin_));
  const uint64_t verified = state.has_value() ? state->verified_size() : 0;
  if (pinned_.has_value()) {
    if (pinned_->fields.size > verified) {
      return absl::OutOfRangeError(
          absl::StrCat("checkpoint ", pinned_->fields.size, " of ", origin_,
                       " is beyond the mirror's verified size ", verified));
    }
    return *pinned_;
  }
  std::vector<ledger::merkle::Hash> frontier;
  if (state.has_value()) {
    for (const std::string& h : state->frontier()) {
      if (h.size() != 32) {
        return absl::DataLossError(absl::StrCat("mirror of ", origin_,
                                                ": a frontier hash of ",
                                                h.size(), " bytes"));
      }
      ledger::merkle::Hash hash;
      std::copy(h.begin(), h.end(), hash.begin());
      frontier.push_back(hash);
    }
  }
  ASSIGN_OR_RETURN(ledger::merkle::CompactRange range,
                   ledger::merkle::CompactRange::FromFrontier(
                       verified, std::move(frontier)));
  api::client::VerifiedCheckpoint cp;
  cp.fields = {origin_, verified, range.Root()};
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   mirror_->VerifiedCheckpoint(origin_, verified));
  if (note.has_value()) cp.note = *std::move(note);
  return cp;
}

absl::StatusOr<api::client::VerifiedCheckpoint> MirrorLogReader::CheckpointAt(
    uint64_t) {
  return NoProofs("older checkpoints");
}

absl::StatusOr<std::vector<api::client::VerifiedLeaf>>
MirrorLogReader::ReadLeaves(const api::client::VerifiedCheckpoint& at,
                            uint64_t start, uint64_t max_count) {
  if (start >= at.fields.size) {
    return absl::OutOfRangeError(absl::StrCat(
        "leaf ", start, " is beyond size ", at.fields.size, " of ", origin_));
  }
  const uint64_t end = start + std::min(max_count, at.fields.size - start);
  std::vector<api::client::VerifiedLeaf> out;
  // Visit stops at the first non-OK status fn returns; this one only ends
  // the read early.
  const absl::Status enough = absl::CancelledError("read enough");
  absl::Status visited = mirror_->Visit(
      origin_, start, [&](uint64_t index, absl::string_view leaf) {
        out.push_back({index, std::string(leaf)});
        return index + 1 < end ? absl::OkStatus() : enough;
      });
  if (!visited.ok() && visited != enough) return visited;
  if (out.size() != end - start) {
    return absl::OutOfRangeError(
        absl::StrCat("leaves [", start, ", ", end, ") of ", origin_,
                     " are beyond the mirror's verified size"));
  }
  return out;
}

absl::StatusOr<api::client::ProvenLeaf> MirrorLogReader::ProveLeaf(
    const api::client::VerifiedCheckpoint&, uint64_t) {
  return NoProofs("inclusion proofs");
}

absl::StatusOr<std::vector<ledger::merkle::Hash>>
MirrorLogReader::ProveConsistency(const api::client::VerifiedCheckpoint&,
                                  const api::client::VerifiedCheckpoint&) {
  return NoProofs("consistency proofs");
}

}  // namespace office
