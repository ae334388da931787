#include "ledger/merkle/testonly/reference_tree.h"

#include <utility>

namespace ledger::merkle::testonly {
namespace {

// The largest power of two strictly less than n (n > 1): the RFC's k.
uint64_t K(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

void Append(std::vector<Hash>& to, const std::vector<Hash>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

ReferenceTree::ReferenceTree(std::vector<std::string> leaves)
    : leaves_(std::move(leaves)) {}

Hash ReferenceTree::Root(uint64_t size) const { return Mth(0, size); }

Hash ReferenceTree::Mth(uint64_t begin, uint64_t end) const {
  const uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return HashLeaf(leaves_[begin]);
  const uint64_t k = K(n);
  return HashChildren(Mth(begin, begin + k), Mth(begin + k, end));
}

std::vector<Hash> ReferenceTree::InclusionProof(uint64_t index,
                                                uint64_t size) const {
  return Path(index, 0, size);
}

std::vector<Hash> ReferenceTree::Path(uint64_t m, uint64_t begin,
                                      uint64_t end) const {
  const uint64_t n = end - begin;
  if (n == 1) return {};
  const uint64_t k = K(n);
  std::vector<Hash> path;
  if (m < k) {
    path = Path(m, begin, begin + k);
    path.push_back(Mth(begin + k, end));
  } else {
    path = Path(m - k, begin + k, end);
    path.push_back(Mth(begin, begin + k));
  }
  return path;
}

std::vector<Hash> ReferenceTree::ConsistencyProof(uint64_t size1,
                                                  uint64_t size2) const {
  if (size1 == 0 || size1 == size2) return {};
  return Subproof(size1, 0, size2, true);
}

std::vector<Hash> ReferenceTree::Subproof(uint64_t m, uint64_t begin,
                                          uint64_t end, bool b) const {
  const uint64_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {Mth(begin, end)};
  }
  const uint64_t k = K(n);
  std::vector<Hash> proof;
  if (m <= k) {
    Append(proof, Subproof(m, begin, begin + k, b));
    proof.push_back(Mth(begin + k, end));
  } else {
    Append(proof, Subproof(m - k, begin + k, end, false));
    proof.push_back(Mth(begin, begin + k));
  }
  return proof;
}

}  // namespace ledger::merkle::testonly
