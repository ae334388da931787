// Evidence of an AI Office finding: (origin, leaf) pairs over several factory
// logs, in the single-log compact form (rules/evidence.h, Finding fields
// 15-17) plus the origin table (field 18, evidence_origins). Each index is
// ordinal << 40 | leaf, the ordinal being the origin's position in
// evidence_origins (sorted, distinct). Format: ledger/FORMAT.md, "Payload
// semantics: Office finding evidence". Pure; thread-compatible.
#ifndef COMPLIANCE_OFFICE_EVIDENCE_H_
#define COMPLIANCE_OFFICE_EVIDENCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "schema/findings.pb.h"

namespace compliance {

inline constexpr int kOriginShift = 40;
inline constexpr uint64_t kLeafMask = (uint64_t{1} << kOriginShift) - 1;
// Ordinals fit the 24 bits above the leaf.
inline constexpr size_t kMaxEvidenceOrigins = size_t{1} << 24;

inline uint64_t OriginLeaf(uint64_t ordinal, uint64_t leaf) {
  return (ordinal << kOriginShift) | leaf;
}

struct OriginLeafRef {
  std::string origin;
  uint64_t leaf = 0;
  friend bool operator==(const OriginLeafRef& a, const OriginLeafRef& b) {
    return a.origin == b.origin && a.leaf == b.leaf;
  }
};

// Writes `leaves` (any order, duplicates allowed; each leaf < 2^40) into `f`:
// evidence_origins = their distinct origins sorted, fields 15-17 over the
// encoded indices. No leaves: nothing is set.
void SetOfficeEvidence(std::vector<OriginLeafRef> leaves,
                       aifl::rules::v1::Finding* f);

// The pairs `f` lists (its ranges expanded; fewer than evidence_count when
// the ranges were cut). kInvalidArgument naming the index when its ordinal
// is outside evidence_origins; a finding without origins is not an Office
// finding (kInvalidArgument).
absl::StatusOr<std::vector<OriginLeafRef>> CitedOriginLeaves(
    const aifl::rules::v1::Finding& f);

// `text` (an Office finding's message, where every leaf number is an encoded
// pair) with each "leaf N" written "leaf <leaf> of <origin>" (origins: the
// finding's table; a number whose ordinal is outside it is left as is).
std::string WithOriginLeaves(const std::string& text,
                             const std::vector<std::string>& origins);

}  // namespace compliance

#endif  // COMPLIANCE_OFFICE_EVIDENCE_H_
