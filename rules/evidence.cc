#include "rules/evidence.h"

#include "ledger/crypto/sha256.h"

namespace rules {

namespace v1 = aifl::rules::v1;

std::string EvidenceSha256(absl::Span<const uint64_t> leaves) {
  std::string bytes(8 * leaves.size(), '\0');
  for (size_t i = 0; i < leaves.size(); ++i) {
    for (int b = 0; b < 8; ++b) {
      bytes[8 * i + b] = static_cast<char>(leaves[i] >> (56 - 8 * b));
    }
  }
  const ledger::crypto::Sha256Digest d = ledger::crypto::Sha256({bytes});
  return std::string(d.begin(), d.end());
}

void SetEvidence(absl::Span<const uint64_t> leaves, v1::Finding* f) {
  f->clear_evidence_leaves();
  f->clear_evidence_ranges();
  f->clear_evidence_count();
  f->clear_evidence_sha256();
  if (leaves.empty()) return;
  v1::LeafRange* range = nullptr;
  for (uint64_t leaf : leaves) {
    if (range != nullptr && leaf == range->first() + range->count()) {
      range->set_count(range->count() + 1);
      continue;
    }
    // Past the last range kept: the count and hash still cover the rest.
    if (f->evidence_ranges_size() == static_cast<int>(kMaxEvidenceRanges)) {
      break;
    }
    range = f->add_evidence_ranges();
    range->set_first(leaf);
    range->set_count(1);
  }
  f->set_evidence_count(leaves.size());
  f->set_evidence_sha256(EvidenceSha256(leaves));
}

uint64_t EvidenceCount(const v1::Finding& f) {
  if (f.evidence_count() != 0) return f.evidence_count();
  return static_cast<uint64_t>(f.evidence_leaves_size());
}

std::vector<uint64_t> CitedLeaves(const v1::Finding& f, size_t max_leaves) {
  std::vector<uint64_t> out;
  if (f.evidence_ranges_size() == 0) {
    for (uint64_t leaf : f.evidence_leaves()) {
      if (out.size() == max_leaves) break;
      out.push_back(leaf);
    }
    return out;
  }
  for (const v1::LeafRange& r : f.evidence_ranges()) {
    for (uint64_t i = 0; i < r.count() && out.size() < max_leaves; ++i) {
      out.push_back(r.first() + i);
    }
  }
  return out;
}

}  // namespace rules
