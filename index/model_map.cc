#include "index/model_map.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_fn.h"

namespace vindex {

absl::Status ModelMap::AddLeaf(uint64_t index, absl::string_view leaf_bytes) {
  ASSIGN_OR_RETURN(std::vector<std::string> models,
                   ModelsOfLeaf(index, leaf_bytes));
  return Add(index, models);
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
    state.list.Append(leaf_hash, nullptr);
    touched_.insert(key);
  }
  return absl::OkStatus();
}

std::vector<Hash> ModelMap::Flush() {
  std::vector<Hash> changed(touched_.begin(), touched_.end());
  touched_.clear();
  std::sort(changed.begin(), changed.end());
  for (const Hash& key : changed) {
    const KeyState& state = keys_.at(key);
    tree_.Set(key, KeyValue{state.list.size(), state.list.Root()});
  }
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
