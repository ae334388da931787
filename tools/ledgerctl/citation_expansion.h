// `--expand_index` for `ledgerctl model` and `ledgerctl report`: each
// distinct index citation among a model's recorded findings
// (Finding.index_citation; ledger/FORMAT.md, "Payload semantics: index
// citation") expanded into its proven entries through the client
// model-complete --server uses (api/index/citation_expand.h: every page and
// entry verified, then count and list root compared with the citation), and
// the proving update's input tied to the log this command reads
// (api/index/input_tie.h), so the entries are of that log.
//
// Not thread-safe (one command, one thread).
#ifndef TOOLS_LEDGERCTL_CITATION_EXPANSION_H_
#define TOOLS_LEDGERCTL_CITATION_EXPANSION_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "api/v1/ledger_service.pb.h"
#include "tools/ledgerctl/expanded_citation.h"
#include "tools/ledgerctl/model_source.h"

ABSL_DECLARE_FLAG(bool, expand_index);

namespace ledgerctl {

// The distinct citations of `findings` (in the order they first appear),
// expanded; empty when --expand_index is not set. kInvalidArgument when it
// is set without --server (a ledger_server hosting the index) or without
// --index_vkey (the index's output-log verifier key). Errors of the
// expansion (a citation that does not match the served list: kDataLoss
// naming both counts and list roots; with --refuse_redacted, the first
// entry the server redacted for this identity: kFailedPrecondition naming
// its leaf, no page asked after it) and of the tie, prefixed
// "--expand_index: ".
absl::StatusOr<std::vector<ExpandedCitation>> ExpandCitations(
    ModelSource& source,
    const std::vector<aifl::api::v1::RecordedFinding>& findings);

// `ledgerctl model`'s lines for them: per citation "index citation: K
// entries about M below size N (list root R), expanded: ..." and one line
// per entry.
std::string CitationLines(const std::vector<ExpandedCitation>& expanded);

// `ledgerctl model --json`'s member for them: `, "expanded_citations": [{
// "citation": {…}, "indexed_size": N, "tied_at": N, "leaves": [{"index": i,
// "payload_type": "…"}, …]}, …]`; "" when there are none (the JSON is then
// as without --expand_index).
std::string CitationsJson(const std::vector<ExpandedCitation>& expanded);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_CITATION_EXPANSION_H_
