// Findings cite the index: the citations (finding_citation.h) of models'
// lists as of an input size, read from an index builder and, past its
// state, extended with the input ledger's leaves through MapFn; and the one
// way findings get them. The ledger server's rules runner (through
// api/index/index_host.h, under its lock) and `compliance_check --record
// --index_dir --index_store` (over the index opened from its folders) both
// cite here, so a finding about the same state carries the same bytes
// whichever recorded it.
//
// Reads through the builder and the ledger; as thread-safe as their const
// reads (the builder's owner serialises them with its Apply).
#ifndef INDEX_MODEL_CITATIONS_H_
#define INDEX_MODEL_CITATIONS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/index_builder.h"
#include "ledger/ledger.h"
#include "schema/findings.pb.h"

namespace vindex {

using Citations = std::map<std::string, aifl::rules::v1::IndexCitation>;

// The citations of `model_ids`' lists as of `input_size` (the size of the
// fold the findings were computed from), of the index whose output log has
// origin `index_origin`: the builder's list at its input size I, extended
// with `input`'s leaves [I, input_size) through MapFn; when the builder is
// already past input_size, its stored list's elements below it
// (list_below.h: O(log n) reads, whatever the list's length). An absent
// model's citation has count 0. kUnavailable when input_size is more than
// `max_extension` leaves beyond I (the index is catching up: no citation
// until it has); kOutOfRange when `input` has no leaf below input_size;
// the store's, the ledger's and MapFn's errors otherwise.
absl::StatusOr<Citations> CiteModels(const IndexBuilder& builder,
                                     const ledger::Ledger& input,
                                     absl::string_view index_origin,
                                     const std::vector<std::string>& model_ids,
                                     uint64_t input_size,
                                     uint64_t max_extension);

// What cites: CiteModels over some index (its owner's lock taken).
using CiteFn = std::function<absl::StatusOr<Citations>(
    const std::vector<std::string>& model_ids, uint64_t input_size)>;

// Gives each finding about a model (model_id set) its model's citation as
// of `input_size` from `cite` (one call for all the findings' models), and
// clears every other finding's citation: a CLEARED finding copies the
// recorded one, citation included, and a copied citation would be stale.
// With a null `cite` (no index) it only clears. Returns `cite`'s error with
// every citation cleared: the caller records the findings without one and
// says why (what ledger_server and compliance_check do).
absl::Status CiteFindings(const CiteFn& cite, uint64_t input_size,
                          std::vector<aifl::rules::v1::Finding>* findings);

}  // namespace vindex

#endif  // INDEX_MODEL_CITATIONS_H_
