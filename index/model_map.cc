#include "index/model_map.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_fn.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"

namespace vindex {

absl::Status ModelMap::AddLeaf(uint64_t index, absl::string_view leaf_bytes) {
  ASSIGN_OR_RETURN(MappedLeaf leaf, MapLeaf(index, leaf_bytes));
  return AddMapped(index, leaf);
}

absl::Status ModelMap::AddMapped(uint64_t index, const MappedLeaf& leaf) {
  RETURN_IF_ERROR(Add(index, leaf.models));
  if (version_ < 2 || leaf.models.empty() ||
      leaf.payload_type != rules::kIntervalReportType) {
    return absl::OkStatus();
  }
  // MapFn mapped it, so it parses, and names exactly one model.
  aifl::collector::v1::IntervalReport r;
  if (!r.ParseFromString(leaf.payload)) return absl::OkStatus();
  keys_[KeyHash(leaf.models[0])].totals.AddInterval(r);
  return absl::OkStatus();
}

KeyValue ModelMap::ValueOf(const KeyState& state) const {
  KeyValue v{state.list.size(), state.list.Root()};
  if (version_ >= 2) {
    v.has_totals = true;
    v.totals_hash = TotalsHash(state.totals.totals());
  }
  return v;
}

absl::Status ModelMap::Add(uint64_t index,
                           const std::vector<std::string>& models) {
  if (last_index_.has_value() && index <= *last_index_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index: leaf ", index, " after leaf ", *last_index_, ", want above"));
  }
  last_index_ = index;
  const Hash leaf_hash = ListLeafHash(index);
  for (const std::string& id : models) {
    const Hash key = KeyHash(id);
    KeyState& state = keys_[key];
    if (state.model_id.empty()) state.model_id = id;
    AppendToList(key, leaf_hash, state);
    touched_.insert(key);
  }
  return absl::OkStatus();
}

void ModelMap::AppendToList(const Hash& key, const Hash& leaf_hash,
                            KeyState& state) {
  // An append completes a node at level L iff the new size is a multiple
  // of 2^L: only then is there anything to keep.
  const uint64_t new_size = state.list.size() + 1;
  if (!keep_level_.has_value() || *keep_level_ >= 64 ||
      (new_size & ((uint64_t{1} << *keep_level_) - 1)) != 0) {
    state.list.Append(leaf_hash, nullptr);
    return;
  }
  scratch_.clear();
  state.list.Append(leaf_hash, &scratch_);
  for (const auto& [id, hash] : scratch_) {
    if (id.level >= *keep_level_) completed_.push_back({key, id, hash});
  }
}

std::vector<ModelMap::Changed> ModelMap::Flush() {
  std::vector<Changed> changed;
  changed.reserve(touched_.size());
  for (const Hash& key : touched_) changed.push_back({key, &keys_.at(key)});
  touched_.clear();
  std::sort(changed.begin(), changed.end(),
            [](const Changed& a, const Changed& b) { return a.key < b.key; });
  std::vector<std::pair<Hash, KeyValue>> values;
  values.reserve(changed.size());
  for (const Changed& c : changed)
    values.emplace_back(c.key, ValueOf(*c.state));
  tree_.SetSorted(values);
  return changed;
}

const ModelMap::KeyState* ModelMap::Find(const Hash& key_hash) const {
  auto it = keys_.find(key_hash);
  return it == keys_.end() ? nullptr : &it->second;
}

void ModelMap::Restore(const Hash& key_hash, KeyState state) {
  keys_[key_hash] = std::move(state);
  touched_.insert(key_hash);
}

}  // namespace vindex
