#include "compliance/office_evidence.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rules/evidence.h"

namespace compliance {

void SetOfficeEvidence(std::vector<OriginLeafRef> leaves,
                       aifl::rules::v1::Finding* f) {
  if (leaves.empty()) return;
  std::vector<std::string> origins;
  for (const OriginLeafRef& l : leaves) origins.push_back(l.origin);
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  std::vector<uint64_t> encoded;
  encoded.reserve(leaves.size());
  for (const OriginLeafRef& l : leaves) {
    const uint64_t ordinal =
        std::lower_bound(origins.begin(), origins.end(), l.origin) -
        origins.begin();
    encoded.push_back(OriginLeaf(ordinal, l.leaf & kLeafMask));
  }
  std::sort(encoded.begin(), encoded.end());
  encoded.erase(std::unique(encoded.begin(), encoded.end()), encoded.end());
  rules::SetEvidence(encoded, f);
  f->clear_evidence_origins();
  for (std::string& o : origins) f->add_evidence_origins(std::move(o));
}

absl::StatusOr<std::vector<OriginLeafRef>> CitedOriginLeaves(
    const aifl::rules::v1::Finding& f) {
  if (f.evidence_origins().empty()) {
    return absl::InvalidArgumentError(
        "evidence_origins: empty, want an Office finding's origin table");
  }
  std::vector<OriginLeafRef> out;
  for (uint64_t index : rules::CitedLeaves(f)) {
    const uint64_t ordinal = index >> kOriginShift;
    if (ordinal >= static_cast<uint64_t>(f.evidence_origins_size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("evidence index ", index, ": origin ordinal ", ordinal,
                       ", want < ", f.evidence_origins_size()));
    }
    out.push_back({f.evidence_origins(ordinal), index & kLeafMask});
  }
  return out;
}

std::string WithOriginLeaves(const std::string& text,
                             const std::vector<std::string>& origins) {
  static constexpr char kLeaf[] = "leaf ";
  static constexpr size_t kLeafLen = sizeof(kLeaf) - 1;
  std::string out;
  size_t at = 0;
  for (size_t hit = text.find(kLeaf); hit != std::string::npos;
       hit = text.find(kLeaf, at)) {
    size_t end = hit + kLeafLen;
    while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
    uint64_t index = 0;
    const absl::string_view digits(text.data() + hit + kLeafLen,
                                   end - hit - kLeafLen);
    out.append(text, at, hit - at);
    if (absl::SimpleAtoi(digits, &index) &&
        (index >> kOriginShift) < origins.size()) {
      absl::StrAppend(&out, kLeaf, index & kLeafMask, " of ",
                      origins[index >> kOriginShift]);
    } else {
      out.append(text, hit, end - hit);
    }
    at = end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

}  // namespace compliance
