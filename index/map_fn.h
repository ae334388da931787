// MapFn v1 of the verifiable index (index/FORMAT.md, "MapFn v1"): which
// model ids a ledger leaf is about. Pure: a function of the leaf's bytes
// alone (no key registry, no earlier leaves), so anyone can re-run it on one
// entry of an answer and on every leaf of a replay, and get the same keys.
//
// A key is the model id exactly as the payload spells it, the string the
// rules engine (rules/model_state_fold.h) keys its models by before it
// resolves aliases. v1 does not resolve aliases nor attribute records that
// name no model (by run id or scheduler account): both depend on earlier
// leaves and would make one entry impossible to check alone. Changing what
// maps where, or of what the map holds, is a new version (kMapFnVersion),
// recorded in every output-log leaf. Version 2 maps the same leaves to the
// same keys as version 1; its map value also commits to the key's totals
// (model_totals.h; FORMAT.md, "Map version 2").
//
// Thread-safe (pure functions).
#ifndef INDEX_MAP_FN_H_
#define INDEX_MAP_FN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vindex {

// The version this binary builds; it still verifies and replays v1.
inline constexpr uint32_t kMapFnVersion = 2;
inline constexpr uint32_t kMapFnVersion1 = 1;

// Whether this binary can verify and replay an index of `version`.
inline bool IsKnownMapFnVersion(uint32_t version) {
  return version == kMapFnVersion1 || version == kMapFnVersion;
}

// One leaf as the index sees it: the models it is about and its payload
// (version 2 folds IntervalReports into their model's totals).
struct MappedLeaf {
  std::vector<std::string> models;
  std::string payload_type;
  std::string payload;
};

// The model ids a payload of `payload_type` names, without repeats, in the
// order of FORMAT.md's table; empty for a type about no model, for a payload
// that does not parse as its type, and for ids that are empty.
std::vector<std::string> ModelsOfPayload(absl::string_view payload_type,
                                         absl::string_view payload);

// ModelsOfPayload of the leaf's envelope. kDataLoss naming leaf `index` when
// the leaf or its envelope does not parse (a verified leaf always does).
absl::StatusOr<std::vector<std::string>> ModelsOfLeaf(
    uint64_t index, absl::string_view leaf_bytes);

// ModelsOfLeaf with the payload (type and bytes) it decoded.
absl::StatusOr<MappedLeaf> MapLeaf(uint64_t index,
                                   absl::string_view leaf_bytes);

}  // namespace vindex

#endif  // INDEX_MAP_FN_H_
