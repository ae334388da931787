#include "index/model_page.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vindex {

namespace {

// How many of `elements` (the list from its position `start`) a page
// holds: none after the first at or past the as-of size (it proves the
// prefix ends before it).
size_t PageLength(const std::vector<uint64_t>& elements,
                  std::optional<uint64_t> as_of) {
  for (size_t p = 0; as_of.has_value() && p < elements.size(); ++p) {
    if (elements[p] >= *as_of) return p + 1;
  }
  return elements.size();
}

}  // namespace

absl::StatusOr<ModelPage> MakeModelPage(
    const IndexBuilder& builder, const ledger::Ledger& input,
    absl::string_view model_id, uint64_t list_count, uint64_t input_size,
    uint64_t start, uint64_t max_count, std::optional<uint64_t> as_of,
    size_t max_leaf_bytes) {
  if (max_count < 1 || max_count > kMaxPageEntries) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page size: got ", max_count, ", want 1..", kMaxPageEntries));
  }
  if (start >= list_count) {
    return absl::InvalidArgumentError(absl::StrCat("start: got position ",
                                                   start, ", the list has ",
                                                   list_count, " elements"));
  }
  if (input_size > input.Size()) {
    return absl::OutOfRangeError(absl::StrCat("input size: got ", input_size,
                                              ", the log has ", input.Size()));
  }
  ASSIGN_OR_RETURN(StoredListNodes nodes,
                   builder.ListNodes(model_id, list_count));
  const uint64_t want = std::min(max_count, list_count - start);
  ASSIGN_OR_RETURN(std::vector<uint64_t> elements,
                   builder.List(model_id, start, want));
  if (elements.size() != want) {
    return absl::DataLossError(absl::StrCat(
        "index: the list of ", model_id, " holds ", elements.size(),
        " elements from position ", start, ", want ", want));
  }
  ModelPage page;
  page.start = start;
  size_t bytes = 0;
  const size_t length = PageLength(elements, as_of);
  for (size_t p = 0; p < length; ++p) {
    const uint64_t index = elements[p];
    if (index >= input_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input size: got ", input_size, ", the list holds leaf ", index));
    }
    ASSIGN_OR_RETURN(
        std::vector<ProvenEntry> one,
        ProveEntries(input, absl::MakeConstSpan(&index, 1), input_size));
    // The leaf and its proof: what the page's size grows by.
    bytes += one[0].leaf.size() + one[0].proof.size() * sizeof(Hash);
    if (!page.entries.empty() && bytes > max_leaf_bytes) break;
    page.list.push_back(index);
    page.entries.push_back(std::move(one[0]));
  }
  ASSIGN_OR_RETURN(
      page.range,
      ProveListRange(nodes, start, start + page.list.size(), list_count));
  return page;
}

absl::StatusOr<ModelPagesVerifier> ModelPagesVerifier::Start(
    const ModelAnswerHead& head, absl::string_view model_id,
    uint64_t output_size, const Hash& output_root,
    std::optional<uint64_t> as_of) {
  ModelPagesVerifier v;
  v.model_id_ = std::string(model_id);
  ASSIGN_OR_RETURN(
      v.update_, VerifyOutputLeaf(head.output_leaf_index, head.output_leaf,
                                  head.output_proof, output_size, output_root));
  const IndexState& s = v.update_.state;
  RETURN_IF_ERROR(CheckAsOf(as_of, s));
  ASSIGN_OR_RETURN(v.present_, VerifyMapValue(head.map_proof, KeyHash(model_id),
                                              s.map_root, head.value));
  v.value_ = head.value;
  v.as_of_ = as_of;
  return v;
}

bool ModelPagesVerifier::done() const {
  return past_as_of_ || next_ >= value_.count;
}

absl::Status ModelPagesVerifier::Add(const ModelPage& page) {
  if (done()) {
    return absl::FailedPreconditionError("the answer is already complete");
  }
  if (page.start != next_) {
    return absl::DataLossError(absl::StrCat("page: starts at position ",
                                            page.start, ", want ", next_));
  }
  absl::Status range = VerifyListRange(value_.list_root, value_.count,
                                       page.start, page.list, page.range);
  if (!range.ok()) {
    return absl::DataLossError(
        absl::StrCat("page at position ", page.start, ": ", range.message()));
  }
  if (last_index_.has_value() && page.list.front() <= *last_index_) {
    return absl::DataLossError(absl::StrCat(
        "page at position ", page.start, ": leaf ", page.list.front(),
        " after leaf ", *last_index_, " (out of order)"));
  }
  RETURN_IF_ERROR(VerifyEntries(page.list, page.entries, model_id_,
                                update_.state, /*allow_redacted=*/true));
  if (value_.has_totals) {
    all_.insert(all_.end(), page.entries.begin(), page.entries.end());
    if (next_ + page.list.size() == value_.count &&
        FoldedTotals(all_, model_id_, update_.state.map_fn_version) !=
            std::optional<Hash>(value_.totals_hash)) {
      return absl::DataLossError(
          "the entries do not fold to the totals the map proves");
    }
  }
  next_ += page.list.size();
  last_index_ = page.list.back();
  for (const ProvenEntry& e : page.entries) {
    if (as_of_.has_value() && e.index >= *as_of_) {
      past_as_of_ = true;
      break;
    }
    entries_.push_back(e);
  }
  return absl::OkStatus();
}

}  // namespace vindex
