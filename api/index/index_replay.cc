#include "api/index/index_replay.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_fn.h"
#include "index/model_map.h"
#include "index/output_log.h"
#include "ledger/merkle/compact_range.h"

namespace api::index {
namespace {

using ledger::merkle::HashToHex;

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

absl::Status CheckHeader(const Published& p, const std::string& origin,
                         uint64_t previous_size, uint64_t input_size,
                         uint32_t version) {
  const vindex::IndexState& s = p.update.state;
  if (!vindex::IsKnownMapFnVersion(s.map_fn_version)) {
    return absl::FailedPreconditionError(
        absl::StrCat("output leaf ", p.leaf, ": published with MapFn v",
                     s.map_fn_version, ", this binary replays v",
                     vindex::kMapFnVersion1, " and v", vindex::kMapFnVersion));
  }
  if (s.map_fn_version != version) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", p.leaf, ": MapFn v", s.map_fn_version,
        " after updates of v", version, " (a new version is a new index)"));
  }
  if (p.update.input_origin != origin) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", p.leaf, ": indexes log \"", p.update.input_origin,
        "\", not the input log \"", origin, "\""));
  }
  if (s.input_size < previous_size) {
    return absl::DataLossError(absl::StrCat("output leaf ", p.leaf,
                                            ": input size ", s.input_size,
                                            " goes back from ", previous_size));
  }
  if (s.input_size > input_size) {
    return absl::DataLossError(
        absl::StrCat("output leaf ", p.leaf, ": input size ", s.input_size,
                     " is beyond the input log's verified size ", input_size));
  }
  return absl::OkStatus();
}

absl::Status CheckRoots(const Published& p, const ledger::merkle::Hash& input,
                        vindex::ModelMap& map) {
  const vindex::IndexState& s = p.update.state;
  if (input != s.input_root) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", p.leaf, ": input root at size ", s.input_size, " is ",
        HashToHex(s.input_root), ", the input log's is ", HashToHex(input)));
  }
  if (map.Root() != s.map_root || map.key_count() != s.key_count) {
    return absl::DataLossError(absl::StrCat(
        "output leaf ", p.leaf, ": map root at input size ", s.input_size,
        " is ", HashToHex(s.map_root), " over ", s.key_count,
        " keys; the replay gives ", HashToHex(map.Root()), " over ",
        map.key_count(), " keys"));
  }
  return absl::OkStatus();
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
  // The map of the first update's version (a version 2 replay rechecks
  // every key's totals too: they are in its map values).
  vindex::ModelMap map(updates.empty()
                           ? vindex::kMapFnVersion
                           : updates[0].update.state.map_fn_version);
  ledger::merkle::CompactRange input_range;
  for (const Published& p : updates) {
    RETURN_IF_ERROR(CheckHeader(p, input.Origin(), input_range.size(),
                                in_cp.fields.size, map.version()));
    while (input_range.size() < p.update.state.input_size) {
      ASSIGN_OR_RETURN(
          std::vector<client::VerifiedLeaf> leaves,
          input.ReadLeaves(in_cp, input_range.size(),
                           std::min(kBatch, p.update.state.input_size -
                                                input_range.size())));
      for (const client::VerifiedLeaf& leaf : leaves) {
        input_range.Append(ledger::merkle::HashLeaf(leaf.leaf), nullptr);
        RETURN_IF_ERROR(map.AddLeaf(leaf.index, leaf.leaf));
      }
    }
    map.Flush();
    RETURN_IF_ERROR(CheckRoots(p, input_range.Root(), map));
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
