#include "index/model_citations.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/finding_citation.h"
#include "index/list_below.h"
#include "index/map_fn.h"
#include "index/map_hash.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {
namespace {

using Lists = std::map<std::string, ledger::merkle::CompactRange>;

// Appends to `lists` the leaves of `input` in [from, input_size) that MapFn
// maps to their models.
absl::Status ExtendLists(const ledger::Ledger& input, uint64_t from,
                         uint64_t input_size, uint64_t max_extension,
                         Lists* lists) {
  if (input_size - from > max_extension) {
    return absl::UnavailableError(absl::StrCat(
        "the index is at input size ", from, ", ", input_size - from,
        " leaves behind ", input_size, " (more than ", max_extension,
        "): no citation until it catches up"));
  }
  for (uint64_t next = from; next < input_size;) {
    ASSIGN_OR_RETURN(
        std::vector<std::string> leaves,
        input.GetLeaves(next, std::min<uint64_t>(1000, input_size - next)));
    if (leaves.empty()) {
      return absl::OutOfRangeError(absl::StrCat("the input ledger has no leaf ",
                                                next, " (citing as of size ",
                                                input_size, ")"));
    }
    for (const std::string& leaf : leaves) {
      ASSIGN_OR_RETURN(std::vector<std::string> models,
                       ModelsOfLeaf(next, leaf));
      for (const std::string& m : models) {
        auto it = lists->find(m);
        if (it != lists->end()) it->second.Append(ListLeafHash(next), nullptr);
      }
      ++next;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Citations> CiteModels(const IndexBuilder& builder,
                                     const ledger::Ledger& input,
                                     absl::string_view index_origin,
                                     const std::vector<std::string>& model_ids,
                                     uint64_t input_size,
                                     uint64_t max_extension) {
  const IndexState& state = builder.state();
  Lists lists;
  for (const std::string& id : model_ids) {
    if (input_size >= state.input_size) {
      lists[id] = builder.ListRange(id);
    } else {
      ASSIGN_OR_RETURN(lists[id], ListRangeBelow(builder, id, input_size));
    }
  }
  if (input_size > state.input_size) {
    RETURN_IF_ERROR(ExtendLists(input, state.input_size, input_size,
                                max_extension, &lists));
  }
  Citations out;
  for (const auto& [id, list] : lists) {
    out[id] = MakeIndexCitation(index_origin, state.map_fn_version, id,
                                input_size, list);
  }
  return out;
}

absl::Status CiteFindings(const CiteFn& cite, uint64_t input_size,
                          std::vector<aifl::rules::v1::Finding>* findings) {
  std::set<std::string> models;
  for (aifl::rules::v1::Finding& f : *findings) {
    f.clear_index_citation();
    if (!f.model_id().empty()) models.insert(f.model_id());
  }
  if (!cite || models.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      Citations cited,
      cite(std::vector<std::string>(models.begin(), models.end()), input_size));
  for (aifl::rules::v1::Finding& f : *findings) {
    auto it = cited.find(f.model_id());
    if (it != cited.end()) *f.mutable_index_citation() = it->second;
  }
  return absl::OkStatus();
}

}  // namespace vindex
