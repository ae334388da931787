#include "ledger/merkle/verify.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ledger::merkle {
namespace {

int BitLength(uint64_t x) { return x == 0 ? 0 : 64 - __builtin_clzll(x); }

// x >> n, defined as 0 for n >= 64 (where C++'s shift is undefined).
uint64_t ShiftRight(uint64_t x, int n) { return n >= 64 ? 0 : x >> n; }

absl::Status RootMismatch(absl::string_view what, const Hash& computed,
                          const Hash& want) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " mismatch: proof gives ", HashToHex(computed),
                   ", want ", HashToHex(want)));
}

}  // namespace

size_t InclusionProofLength(uint64_t index, uint64_t size) {
  // Below level `inner` the leaf's path lies inside a perfect subtree: one
  // sibling per level. Above it, one (perfect) left sibling per 1 bit.
  const int inner = BitLength(index ^ (size - 1));
  return inner + __builtin_popcountll(ShiftRight(index, inner));
}

size_t ConsistencyProofLength(uint64_t size1, uint64_t size2) {
  if (size1 == 0 || size1 == size2) return 0;
  // The inclusion path of the old tree's last leaf, less the levels inside
  // the old tree's last perfect subtree, plus that subtree's own hash unless
  // it is the whole old tree (a power of two, whose root the verifier has).
  const int shift = __builtin_ctzll(size1);
  const int inner = BitLength((size1 - 1) ^ (size2 - 1)) - shift;
  const int border = __builtin_popcountll(ShiftRight(size1 - 1, inner + shift));
  const bool power_of_two = (size1 & (size1 - 1)) == 0;
  return inner + border + (power_of_two ? 0 : 1);
}

absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("index: got ", index, ", want < size ", size));
  }
  const size_t want = InclusionProofLength(index, size);
  if (proof.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("proof has ", proof.size(), " hashes, want ", want,
                     " for index ", index, " in size ", size));
  }
  // RFC 9162 §2.1.3.2.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return absl::InvalidArgumentError("proof is longer than the path");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("proof is shorter than the path");
  }
  return r;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root) {
  ASSIGN_OR_RETURN(const Hash computed,
                   RootFromInclusionProof(index, size, leaf_hash, proof));
  if (computed != root) return RootMismatch("root", computed, root);
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               absl::Span<const Hash> proof, const Hash& root1,
                               const Hash& root2) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1: got ", size1, ", want <= size2 ", size2));
  }
  if (size1 == size2 || size1 == 0) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("proof has ", proof.size(), " hashes, want 0 for sizes ",
                       size1, " and ", size2));
    }
    if (size1 == 0) {
      if (root1 != EmptyRoot())
        return RootMismatch("root1", EmptyRoot(), root1);
      return absl::OkStatus();
    }
    if (root1 != root2) {
      return absl::InvalidArgumentError(
          absl::StrCat("roots of equal size ", size1, " differ: root1 ",
                       HashToHex(root1), ", root2 ", HashToHex(root2)));
    }
    return absl::OkStatus();
  }
  const size_t want = ConsistencyProofLength(size1, size2);
  if (proof.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("proof has ", proof.size(), " hashes, want ", want,
                     " for sizes ", size1, " and ", size2));
  }
  // RFC 9162 §2.1.4.2. When size1 is a power of two the old root is the
  // first node of the path; it is not sent, so start from root1.
  const bool power_of_two = (size1 & (size1 - 1)) == 0;
  size_t next = 0;
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = power_of_two ? root1 : proof[next++];
  Hash sr = fr;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) {
      return absl::InvalidArgumentError("proof is longer than the path");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("proof is shorter than the path");
  }
  if (fr != root1) return RootMismatch("root1", fr, root1);
  if (sr != root2) return RootMismatch("root2", sr, root2);
  return absl::OkStatus();
}

}  // namespace ledger::merkle
