// A finding's evidence in compact form (schema/findings.proto fields 15-17;
// the hashed bytes: ledger/FORMAT.md, "Payload semantics: finding evidence").
// A finding may cite any number of leaves and still fit one ledger leaf
// (65,535 bytes): it lists at most kMaxEvidenceRanges ranges, the count of the
// full list and SHA-256 over the full list. Pure; thread-compatible.
#ifndef RULES_EVIDENCE_H_
#define RULES_EVIDENCE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "schema/findings.pb.h"

namespace rules {

// At most this many ranges are written (the lowest ones). Each costs at most
// 24 bytes on the wire, so the ranges take at most about 12 KiB.
inline constexpr size_t kMaxEvidenceRanges = 512;

// SHA-256 over `leaves` in the given order, each index as 8 bytes big-endian,
// concatenated (n leaves hash 8n bytes; no length prefix, no separator).
std::string EvidenceSha256(absl::Span<const uint64_t> leaves);

// Writes `leaves` (ascending, no duplicates) into `f` in the compact form and
// clears the old evidence_leaves. No leaves: nothing is set.
void SetEvidence(absl::Span<const uint64_t> leaves,
                 aifl::rules::v1::Finding* f);

// Number of leaves the finding's evidence covers: evidence_count, or for an
// old finding the number of evidence_leaves.
uint64_t EvidenceCount(const aifl::rules::v1::Finding& f);

// The leaves the finding lists, ascending: its ranges expanded, or the old
// evidence_leaves. At most `max_leaves` (ranges can cover a great many).
// Fewer than EvidenceCount(f) when the ranges were cut at kMaxEvidenceRanges.
std::vector<uint64_t> CitedLeaves(const aifl::rules::v1::Finding& f,
                                  size_t max_leaves = 1u << 20);

}  // namespace rules

#endif  // RULES_EVIDENCE_H_
