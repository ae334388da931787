#include "rules/evidence.h"

#include <cstdint>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;

// Golden: the hashed bytes are each index as 8 bytes big-endian, concatenated
// (ledger/FORMAT.md, "Payload semantics: finding evidence"). Computed
// independently with Python:
//   hashlib.sha256(b''.join(struct.pack('>Q', x) for x in leaves)).hexdigest()
TEST(EvidenceSha256, GoldenBigEndianConcatenation) {
  const std::vector<uint64_t> leaves = {0, 1, 2, 7, 0x0102030405060708ull};
  EXPECT_EQ(absl::BytesToHexString(EvidenceSha256(leaves)),
            "10679f06c4d4d27bfca77030b38aaf29aa7fef22f8ff0d458dbd5f84445041a1");
  EXPECT_EQ(absl::BytesToHexString(EvidenceSha256({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SetEvidence, WritesRangesCountAndHash) {
  v1::Finding f;
  f.add_evidence_leaves(99);  // an old-form list is replaced
  const std::vector<uint64_t> leaves = {3, 7, 8, 9, 12};
  SetEvidence(leaves, &f);
  EXPECT_EQ(f.evidence_leaves_size(), 0);
  ASSERT_EQ(f.evidence_ranges_size(), 3);
  EXPECT_EQ(f.evidence_ranges(1).first(), 7u);
  EXPECT_EQ(f.evidence_ranges(1).count(), 3u);
  EXPECT_EQ(f.evidence_count(), 5u);
  EXPECT_EQ(f.evidence_sha256(), EvidenceSha256(leaves));
  EXPECT_EQ(EvidenceCount(f), 5u);
  EXPECT_EQ(CitedLeaves(f), leaves);
  EXPECT_EQ(CitedLeaves(f, 2), std::vector<uint64_t>({3, 7}));
}

TEST(SetEvidence, NoLeavesSetsNothing) {
  v1::Finding f;
  SetEvidence({}, &f);
  EXPECT_EQ(f.ByteSizeLong(), 0u);
  EXPECT_EQ(EvidenceCount(f), 0u);
  EXPECT_TRUE(CitedLeaves(f).empty());
}

TEST(CitedLeaves, ReadsTheOldForm) {
  v1::Finding f;
  f.add_evidence_leaves(4);
  f.add_evidence_leaves(9);
  EXPECT_EQ(EvidenceCount(f), 2u);
  EXPECT_EQ(CitedLeaves(f), std::vector<uint64_t>({4, 9}));
}

// 100,000 scattered leaves (every other one: no two adjacent, the worst case
// for ranges) at large indices: the finding fits a ledger leaf with room to
// spare, and the count and hash cover the full list.
TEST(SetEvidence, HundredThousandScatteredLeavesFitALeaf) {
  std::vector<uint64_t> leaves;
  for (uint64_t i = 0; i < 100000; ++i) leaves.push_back(2 * i);
  v1::Finding f;
  f.set_message(std::string(4000, 'm'));
  SetEvidence(leaves, &f);
  EXPECT_LT(f.ByteSizeLong(), 65535u);
  EXPECT_EQ(f.evidence_ranges_size(), static_cast<int>(kMaxEvidenceRanges));
  EXPECT_EQ(f.evidence_count(), 100000u);
  EXPECT_EQ(absl::BytesToHexString(f.evidence_sha256()),
            "a039ccb68bf076bea23f83b2f7074b27dbed55425d0e172780b74a5a27795ba8");
  EXPECT_EQ(CitedLeaves(f).size(), kMaxEvidenceRanges);

  for (uint64_t& l : leaves) l += (uint64_t{1} << 62);  // 9-byte varints
  SetEvidence(leaves, &f);
  EXPECT_LT(f.ByteSizeLong(), 65535u);
}

}  // namespace
}  // namespace rules
