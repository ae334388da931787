#include "ledger/stored_leaves.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/storage_keys.h"

namespace ledger {

absl::StatusOr<std::vector<std::string>> ReadStoredLeaves(
    const storage::Store& store, uint64_t start, uint64_t end) {
  std::vector<std::string> out;
  out.reserve(end > start ? end - start : 0);
  RETURN_IF_ERROR(store.Scan(storage::Family::kLeaves, keys::Leaf(start),
                             keys::Leaf(end),
                             [&](absl::string_view, absl::string_view value) {
                               out.emplace_back(value);
                               return true;
                             }));
  if (out.size() != (end > start ? end - start : 0)) {
    return absl::DataLossError(
        absl::StrCat("leaves ", start, "..", end, " are incomplete"));
  }
  return out;
}

}  // namespace ledger
