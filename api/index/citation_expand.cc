#include "api/index/citation_expand.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/finding_citation.h"
#include "index/map_fn.h"

namespace api::index {

absl::StatusOr<VerifiedModelPages> ExpandCitation(
    aifl::api::v1::Audit::Stub& audit, const client::LogVerifier& index_log,
    const aifl::rules::v1::IndexCitation& citation,
    ModelEntriesOptions options) {
  if (options.as_of.has_value()) {
    return absl::InvalidArgumentError(
        "expanding a citation: the as-of size is the citation's input size, "
        "not an option");
  }
  if (citation.index_origin() != index_log.origin()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the citation of model ", citation.model_key(), " names the index \"",
        citation.index_origin(), "\"; the index verifier key is for \"",
        index_log.origin(), "\""));
  }
  // Every MapFn version this binary knows lists the same leaves under the
  // same keys (index/FORMAT.md, "Map version 2"), so any of them answers a
  // citation of any of them; an unknown one may not.
  if (!vindex::IsKnownMapFnVersion(citation.map_fn_version())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the citation of model ", citation.model_key(), " cites MapFn version ",
        citation.map_fn_version(), ", which this client does not know"));
  }
  if (citation.input_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the citation of model ", citation.model_key(), ": input_size 0"));
  }
  options.as_of = citation.input_size();
  ASSIGN_OR_RETURN(
      VerifiedModelPages answer,
      FetchModelEntries(audit, index_log, citation.model_key(), options));
  std::vector<uint64_t> list;
  for (const vindex::ProvenEntry& e : answer.answer.entries()) {
    list.push_back(e.index);
  }
  RETURN_IF_ERROR(vindex::CheckCitedList(citation, list));
  return answer;
}

}  // namespace api::index
