// A finding's index citation expanded into the entries it stands for
// (citation_expansion.h makes it; `ledgerctl model` and the HTML report
// print it). Plain values.
#ifndef TOOLS_LEDGERCTL_EXPANDED_CITATION_H_
#define TOOLS_LEDGERCTL_EXPANDED_CITATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "schema/findings.pb.h"

namespace ledgerctl {

struct ExpandedCitation {
  aifl::rules::v1::IndexCitation citation;
  // The index update that proved the list (its input size, at or past the
  // cited one; the list is the prefix below the cited size) and the input
  // log's verified size it was tied to.
  uint64_t indexed_size = 0;
  uint64_t tied_at = 0;
  struct Entry {
    uint64_t index = 0;
    // "redacted (not readable by you)" for an entry the server withheld
    // from this identity.
    std::string payload_type;
  };
  std::vector<Entry> entries;  // exactly the cited list, each proven
};

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_EXPANDED_CITATION_H_
