// A finding's citation of its model's entry in the verifiable per-model
// index (aifl.rules.v1.IndexCitation; ledger/FORMAT.md, "Payload semantics:
// index citation"): (index origin, MapFn version, model key, input size,
// count, list root). The recorder makes it from the model's list as of the
// input size its findings were computed at; a reader checks a proven list
// against it. The citation is bounded (~100 bytes) however many entries the
// model has, so it stands for the whole list where a finding's evidence
// leaves are capped.
//
// Pure functions; thread-safe.
#ifndef INDEX_FINDING_CITATION_H_
#define INDEX_FINDING_CITATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ledger/merkle/compact_range.h"
#include "schema/findings.pb.h"

namespace vindex {

// The citation of `model_id`'s list whose elements below `input_size` make
// the compact range `list` (count = list.size(), list root = list.Root()).
aifl::rules::v1::IndexCitation MakeIndexCitation(
    absl::string_view index_origin, uint32_t map_fn_version,
    absl::string_view model_id, uint64_t input_size,
    const ledger::merkle::CompactRange& list);

// Checks that `list` (the leaf indices of a verified answer for the cited
// model as of the cited input size, ascending) is the cited list: same
// count, and its RFC 6962 list root (index/FORMAT.md, "Lists") is the cited
// root. kInvalidArgument when the citation's list root is not 32 bytes;
// kDataLoss naming both values otherwise ("index citation of model M as of
// size N: cited count 3, list root AB..; the index's list: count 2, list
// root CD..").
absl::Status CheckCitedList(const aifl::rules::v1::IndexCitation& citation,
                            absl::Span<const uint64_t> list);

}  // namespace vindex

#endif  // INDEX_FINDING_CITATION_H_
