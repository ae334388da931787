#include "tools/ledgerctl/citation_expansion.h"

#include <set>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "api/client/log_verifier.h"
#include "api/index/citation_expand.h"
#include "api/index/input_tie.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "tools/ledgerctl/finding_format.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/index_commands.h"
#include "tools/ledgerctl/leaf_text.h"

ABSL_FLAG(bool, expand_index, false,
          "model, report (with --server S hosting the index and --index_vkey "
          "V): expand each finding's index citation into its proven entries "
          "and check they are the cited list (count and list root); with "
          "--refuse_redacted an entry withheld from this identity fails it");

namespace ledgerctl {
namespace {

absl::Status Failed(const absl::Status& why) {
  return absl::Status(why.code(),
                      absl::StrCat("--expand_index: ", why.message()));
}

absl::StatusOr<ExpandedCitation> Expand(
    ModelSource& source, const api::client::LogVerifier& index_log,
    const aifl::rules::v1::IndexCitation& citation) {
  api::index::ModelEntriesOptions options;
  options.refuse_redacted = absl::GetFlag(FLAGS_refuse_redacted);
  absl::StatusOr<api::index::VerifiedModelPages> answer =
      api::index::ExpandCitation(*source.audit(), index_log, citation, options);
  if (!answer.ok()) return Failed(answer.status());
  absl::StatusOr<uint64_t> tied =
      api::index::CheckUpdateInInput(source.reader(), answer->answer.update());
  if (!tied.ok()) return Failed(tied.status());
  ExpandedCitation out;
  out.citation = citation;
  out.indexed_size = answer->answer.update().state.input_size;
  out.tied_at = *tied;
  for (const vindex::ProvenEntry& e : answer->answer.entries()) {
    // A redacted entry has no bytes to name a type from (model-complete's
    // wording; index/FORMAT.md, "Redacted entries").
    out.entries.push_back({e.index, e.redacted
                                        ? "redacted (not readable by you)"
                                        : LeafPayloadType(e.leaf)});
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ExpandedCitation>> ExpandCitations(
    ModelSource& source,
    const std::vector<aifl::api::v1::RecordedFinding>& findings) {
  std::vector<ExpandedCitation> out;
  if (!absl::GetFlag(FLAGS_expand_index)) return out;
  if (source.audit() == nullptr) {
    return absl::InvalidArgumentError(
        "--expand_index needs --server S (a ledger_server hosting the index, "
        "ledger_server --index_dir)");
  }
  const std::string vkey = absl::GetFlag(FLAGS_index_vkey);
  if (vkey.empty()) {
    return absl::InvalidArgumentError(
        "--expand_index needs --index_vkey (the index's output-log verifier "
        "key)");
  }
  ASSIGN_OR_RETURN(api::client::LogVerifier index_log,
                   api::client::LogVerifier::Create(vkey));
  std::set<std::string> seen;  // serialized citations
  for (const aifl::api::v1::RecordedFinding& r : findings) {
    if (!r.finding().has_index_citation()) continue;
    const aifl::rules::v1::IndexCitation& c = r.finding().index_citation();
    if (!seen.insert(c.SerializeAsString()).second) continue;
    ASSIGN_OR_RETURN(ExpandedCitation e, Expand(source, index_log, c));
    out.push_back(std::move(e));
  }
  return out;
}

std::string CitationLines(const std::vector<ExpandedCitation>& expanded) {
  std::string out;
  for (const ExpandedCitation& e : expanded) {
    const aifl::rules::v1::IndexCitation& c = e.citation;
    absl::StrAppend(
        &out, "index citation: ", c.count(), " entries about ", c.model_key(),
        " below size ", c.input_size(), " (list root ",
        absl::BytesToHexString(c.list_root()), ", index ", c.index_origin(),
        "), expanded: each entry proven, the list complete and "
        "equal to the citation (index at size ",
        e.indexed_size, ", tied to the log at size ", e.tied_at, ")\n");
    for (const ExpandedCitation::Entry& entry : e.entries) {
      absl::StrAppend(&out, "  leaf ", entry.index, "  ", entry.payload_type,
                      "\n");
    }
  }
  return out;
}

std::string CitationsJson(const std::vector<ExpandedCitation>& expanded) {
  if (expanded.empty()) return "";
  std::string out = ", \"expanded_citations\": [";
  for (size_t i = 0; i < expanded.size(); ++i) {
    const ExpandedCitation& e = expanded[i];
    absl::StrAppend(&out, i == 0 ? "" : ", ",
                    "{\"citation\": ", ToJson(e.citation),
                    ", \"indexed_size\": ", e.indexed_size,
                    ", \"tied_at\": ", e.tied_at, ", \"leaves\": [");
    for (size_t j = 0; j < e.entries.size(); ++j) {
      absl::StrAppend(
          &out, j == 0 ? "" : ", ", "{\"index\": ", e.entries[j].index,
          ", \"payload_type\": ", common::JsonQuote(e.entries[j].payload_type),
          "}");
    }
    out += "]}";
  }
  return out + "]";
}

}  // namespace ledgerctl
