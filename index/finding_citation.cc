#include "index/finding_citation.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "index/map_hash.h"

namespace vindex {

aifl::rules::v1::IndexCitation MakeIndexCitation(
    absl::string_view index_origin, uint32_t map_fn_version,
    absl::string_view model_id, uint64_t input_size,
    const ledger::merkle::CompactRange& list) {
  aifl::rules::v1::IndexCitation c;
  c.set_index_origin(std::string(index_origin));
  c.set_map_fn_version(map_fn_version);
  c.set_model_key(std::string(model_id));
  c.set_input_size(input_size);
  c.set_count(list.size());
  const Hash root = list.Root();
  c.set_list_root(std::string(root.begin(), root.end()));
  return c;
}

absl::Status CheckCitedList(const aifl::rules::v1::IndexCitation& citation,
                            absl::Span<const uint64_t> list) {
  if (citation.list_root().size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "index citation of model ", citation.model_key(), ": list_root: got ",
        citation.list_root().size(), " bytes, want 32"));
  }
  ledger::merkle::CompactRange range;
  for (uint64_t index : list) range.Append(ListLeafHash(index), nullptr);
  const Hash root = range.Root();
  const std::string got(root.begin(), root.end());
  if (range.size() == citation.count() && got == citation.list_root()) {
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat(
      "index citation of model ", citation.model_key(), " as of size ",
      citation.input_size(), ": cited count ", citation.count(), ", list root ",
      absl::BytesToHexString(citation.list_root()),
      "; the index's list: count ", range.size(), ", list root ",
      absl::BytesToHexString(got)));
}

}  // namespace vindex
