// Proofs come from servers that may lie. Verification must never crash or
// accept a proof the reference computation disagrees with. Input layout:
// u64 index/size1, u64 size/size2, then 32-byte hashes (the first is the
// leaf hash or first root, the second the root or second root, the rest the
// proof). Whatever verifies must also agree with RootFromInclusionProof.
#include <cstdint>
#include <cstring>
#include <vector>

#include "ledger/merkle/hash.h"
#include "ledger/merkle/verify.h"
#include "tests/fuzz/fuzz_check.h"

using ledger::merkle::Hash;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 16 + 64) return 0;
  uint64_t a = 0, b = 0;
  std::memcpy(&a, data, 8);
  std::memcpy(&b, data + 8, 8);
  // Keep sizes in a range where proofs are short but edge cases abound.
  a %= 1 << 20;
  b %= 1 << 20;
  std::vector<Hash> hashes;
  for (size_t off = 16; off + 32 <= size && hashes.size() < 66; off += 32) {
    Hash h;
    std::memcpy(h.data(), data + off, 32);
    hashes.push_back(h);
  }
  const Hash& first = hashes[0];
  const Hash& second = hashes[1];
  const absl::Span<const Hash> proof(hashes.data() + 2, hashes.size() - 2);
  if (ledger::merkle::VerifyInclusion(a, b, first, proof, second).ok()) {
    auto root = ledger::merkle::RootFromInclusionProof(a, b, first, proof);
    FUZZ_CHECK(root.ok() && *root == second);
  }
  ledger::merkle::VerifyConsistency(a, b, proof, first, second).IgnoreError();
  return 0;
}
