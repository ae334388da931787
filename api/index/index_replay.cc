#include "api/index/index_replay.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/index/index_replayer.h"
#include "common/status_macros.h"
#include "index/output_log.h"

namespace api::index {
namespace {

constexpr uint64_t kBatch = 1024;

struct Published {
  uint64_t leaf = 0;  // its index in the output log
  vindex::IndexUpdate update;
};

absl::StatusOr<std::vector<Published>> ReadUpdates(
    client::LogReader& output, const client::VerifiedCheckpoint& at) {
  std::vector<Published> out;
  for (uint64_t next = 0; next < at.fields.size;) {
    ASSIGN_OR_RETURN(std::vector<client::VerifiedLeaf> leaves,
                     output.ReadLeaves(at, next, kBatch));
    for (const client::VerifiedLeaf& leaf : leaves) {
      ASSIGN_OR_RETURN(std::optional<vindex::IndexUpdate> u,
                       vindex::IndexUpdateOfLeaf(leaf.index, leaf.leaf));
      if (u.has_value()) out.push_back({leaf.index, *std::move(u)});
    }
    next += leaves.size();
  }
  return out;
}

}  // namespace

absl::StatusOr<ReplayResult> ReplayIndex(client::LogReader& input,
                                         client::LogReader& output,
                                         const ReplayOptions& options) {
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint out_cp,
                   output.LatestCheckpoint());
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint in_cp, input.LatestCheckpoint());
  ASSIGN_OR_RETURN(std::vector<Published> updates, ReadUpdates(output, out_cp));
  ReplayResult result;
  result.output_size = out_cp.fields.size;
  result.input_size = in_cp.fields.size;
  IndexReplayer replayer(input.Origin());
  for (const Published& p : updates) {
    RETURN_IF_ERROR(replayer.Check(p.leaf, p.update, input, in_cp));
    ++result.updates;
    result.indexed_size = p.update.state.input_size;
    result.map_root = p.update.state.map_root;
    result.key_count = p.update.state.key_count;
  }
  const uint64_t lag = result.input_size - result.indexed_size;
  if (lag > options.max_lag) {
    return absl::DataLossError(absl::StrCat(
        "stale index: its last update is as of input size ",
        result.indexed_size, ", the input log is at ", result.input_size, " (",
        lag, " leaves behind, more than the allowed ", options.max_lag, ")"));
  }
  return result;
}

}  // namespace api::index
