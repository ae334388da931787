#include "api/index/index_replayer.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_fn.h"

namespace api::index {
namespace {

using ledger::merkle::HashToHex;

// Input leaves read per request.
constexpr uint64_t kBatch = 1024;

}  // namespace

absl::Status IndexReplayer::CheckHeader(uint64_t output_leaf,
                                        const vindex::IndexUpdate& update,
                                        uint64_t verified_input_size) const {
  const vindex::IndexState& s = update.state;
  if (!vindex::IsKnownMapFnVersion(s.map_fn_version)) {
    return absl::FailedPreconditionError(
        absl::StrCat("output leaf ", output_leaf, ": published with MapFn v",
                     s.map_fn_version, ", this binary replays v",
                     vindex::kMapFnVersion1, " and v", vindex::kMapFnVersion));
  }
  if (map_ != nullptr && s.map_fn_version != map_->version()) {
    return absl::DataLossError(
        absl::StrCat("output leaf ", output_leaf, ": MapFn v", s.map_fn_version,
                     " after updates of v", map_->version(),
                     " (a new version is a new index)"));
  }
  if (update.input_origin != input_origin_) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", output_leaf, ": indexes log \"", update.input_origin,
        "\", not the input log \"", input_origin_, "\""));
  }
  if (s.input_size < input_range_.size()) {
    return absl::DataLossError(
        absl::StrCat("output leaf ", output_leaf, ": input size ", s.input_size,
                     " goes back from ", input_range_.size()));
  }
  if (s.input_size > verified_input_size) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", output_leaf, ": input size ", s.input_size,
        " is beyond the input log's verified size ", verified_input_size));
  }
  return absl::OkStatus();
}

absl::Status IndexReplayer::CheckRoots(
    uint64_t output_leaf, const vindex::IndexUpdate& update) const {
  const vindex::IndexState& s = update.state;
  const ledger::merkle::Hash input = input_range_.Root();
  if (input != s.input_root) {
    return absl::DataLossError(
        absl::StrCat("output leaf ", output_leaf, ": input root at size ",
                     s.input_size, " is ", HashToHex(s.input_root),
                     ", the input log's is ", HashToHex(input)));
  }
  if (map_->Root() != s.map_root || map_->key_count() != s.key_count) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", output_leaf, ": map root at input size ", s.input_size,
        " is ", HashToHex(s.map_root), " over ", s.key_count,
        " keys; the replay gives ", HashToHex(map_->Root()), " over ",
        map_->key_count(), " keys"));
  }
  return absl::OkStatus();
}

absl::Status IndexReplayer::Check(uint64_t output_leaf,
                                  const vindex::IndexUpdate& update,
                                  client::LogReader& input,
                                  const client::VerifiedCheckpoint& at) {
  if (spent_) {
    return absl::FailedPreconditionError(
        "the index replay failed before: start a new one");
  }
  // Any error below leaves the map part-way: the replayer is spent.
  spent_ = true;
  RETURN_IF_ERROR(CheckHeader(output_leaf, update, at.fields.size));
  // The map of the first update's version (a version 2 replay rechecks
  // every key's totals too: they are in its map values).
  if (map_ == nullptr) {
    map_ = std::make_unique<vindex::ModelMap>(update.state.map_fn_version);
  }
  const uint64_t target = update.state.input_size;
  while (input_range_.size() < target) {
    ASSIGN_OR_RETURN(
        std::vector<client::VerifiedLeaf> leaves,
        input.ReadLeaves(at, input_range_.size(),
                         std::min(kBatch, target - input_range_.size())));
    if (leaves.empty()) {
      return absl::OutOfRangeError(absl::StrCat(
          input.Source(), " returned no leaf at ", input_range_.size()));
    }
    for (const client::VerifiedLeaf& leaf : leaves) {
      input_range_.Append(ledger::merkle::HashLeaf(leaf.leaf), nullptr);
      RETURN_IF_ERROR(map_->AddLeaf(leaf.index, leaf.leaf));
    }
  }
  map_->Flush();
  RETURN_IF_ERROR(CheckRoots(output_leaf, update));
  ++updates_;
  spent_ = false;
  return absl::OkStatus();
}

}  // namespace api::index
