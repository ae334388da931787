// ReferenceTree: a deliberately naive RFC 6962 §2.1 implementation (MTH,
// PATH, PROOF/SUBPROOF), written straight from the RFC's recursive
// definitions, to check the real implementation against. Quadratic; tests
// only.
#ifndef LEDGER_MERKLE_TESTONLY_REFERENCE_TREE_H_
#define LEDGER_MERKLE_TESTONLY_REFERENCE_TREE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/merkle/hash.h"

namespace ledger::merkle::testonly {

class ReferenceTree {
 public:
  // A tree over the given leaf byte strings (D[0:n] in the RFC).
  explicit ReferenceTree(std::vector<std::string> leaves);

  uint64_t size() const { return leaves_.size(); }

  // MTH(D[0:size]). REQUIRES: size <= this->size().
  Hash Root(uint64_t size) const;

  // PATH(index, D[0:size]). REQUIRES: index < size <= this->size().
  std::vector<Hash> InclusionProof(uint64_t index, uint64_t size) const;

  // PROOF(size1, D[0:size2]); empty if size1 is 0 or equals size2.
  // REQUIRES: size1 <= size2 <= this->size().
  std::vector<Hash> ConsistencyProof(uint64_t size1, uint64_t size2) const;

 private:
  // MTH(D[begin:end]).
  Hash Mth(uint64_t begin, uint64_t end) const;
  // PATH(m, D[begin:end]) with m relative to begin.
  std::vector<Hash> Path(uint64_t m, uint64_t begin, uint64_t end) const;
  // SUBPROOF(m, D[begin:end], b) with m relative to begin.
  std::vector<Hash> Subproof(uint64_t m, uint64_t begin, uint64_t end,
                             bool b) const;

  std::vector<std::string> leaves_;
};

}  // namespace ledger::merkle::testonly

#endif  // LEDGER_MERKLE_TESTONLY_REFERENCE_TREE_H_
