#include "api/index/index_follow.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace api::index {
namespace {

// `input`'s leaves from `start` in `at`'s tree, verified (ReadLeaves), as
// the bytes the builder takes.
absl::StatusOr<std::vector<std::string>> ReadLeafBytes(
    client::LogReader& input, const client::VerifiedCheckpoint& at,
    uint64_t start, uint64_t max_count) {
  ASSIGN_OR_RETURN(std::vector<client::VerifiedLeaf> read,
                   input.ReadLeaves(at, start, max_count));
  std::vector<std::string> leaves;
  leaves.reserve(read.size());
  for (client::VerifiedLeaf& leaf : read)
    leaves.push_back(std::move(leaf.leaf));
  return leaves;
}

}  // namespace

absl::StatusOr<FollowStep> FollowOnce(client::LogReader& input,
                                      vindex::IndexBuilder& builder,
                                      vindex::OutputLog& output) {
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint at, input.LatestCheckpoint());
  return FollowTo(input, at, builder, output);
}

absl::StatusOr<FollowStep> FollowTo(client::LogReader& input,
                                    const client::VerifiedCheckpoint& at,
                                    vindex::IndexBuilder& builder,
                                    vindex::OutputLog& output) {
  FollowStep step;
  const uint64_t from = builder.state().input_size;
  if (at.fields.size > from) {
    std::vector<std::string> leaves;
    leaves.reserve(at.fields.size - from);
    while (from + leaves.size() < at.fields.size) {
      ASSIGN_OR_RETURN(std::vector<std::string> batch,
                       ReadLeafBytes(input, at, from + leaves.size(),
                                     at.fields.size - from - leaves.size()));
      // A source whose checkpoint names leaves it does not serve: an error,
      // never a loop waiting for them.
      if (batch.empty()) {
        return absl::OutOfRangeError(absl::StrCat(
            input.Source(), " returned no leaf at ", from + leaves.size(),
            " below its checkpoint's size ", at.fields.size));
      }
      for (std::string& leaf : batch) leaves.push_back(std::move(leaf));
    }
    RETURN_IF_ERROR(builder.Apply(
        vindex::InputCheckpoint{at.fields.size, at.fields.root}, leaves));
    step.indexed_leaves = leaves.size();
  }
  vindex::IndexUpdate update;
  update.input_origin = input.Origin();
  update.state = builder.state();
  ASSIGN_OR_RETURN(step.published, output.Publish(update));
  step.state = builder.state();
  return step;
}

vindex::InputLeafReader InputLeavesOf(client::LogReader& input) {
  auto at = std::make_shared<std::optional<client::VerifiedCheckpoint>>();
  return [&input, at](
             uint64_t start,
             uint64_t max_count) -> absl::StatusOr<std::vector<std::string>> {
    if (!at->has_value()) {
      ASSIGN_OR_RETURN(*at, input.LatestCheckpoint());
    }
    return ReadLeafBytes(input, **at, start, max_count);
  };
}

}  // namespace api::index
