// Office finding evidence: the (origin, leaf) encoding, pinned by a golden
// hash computed independently (Python: hashlib.sha256 over struct.pack(">Q")
// of each index), and decoded back.
#include "compliance/office_evidence.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace compliance {
namespace {

TEST(OfficeEvidenceTest, GoldenEncoding) {
  aifl::rules::v1::Finding f;
  SetOfficeEvidence({{"b.example/log", 7},
                     {"a.example/log", 1},
                     {"a.example/log", 0},
                     {"a.example/log", 1}},
                    &f);
  ASSERT_EQ(f.evidence_origins_size(), 2);
  EXPECT_EQ(f.evidence_origins(0), "a.example/log");
  EXPECT_EQ(f.evidence_origins(1), "b.example/log");
  // Indices [0, 1, 2^40 + 7]: ranges {0, 2} and {2^40 + 7, 1}.
  ASSERT_EQ(f.evidence_ranges_size(), 2);
  EXPECT_EQ(f.evidence_ranges(0).first(), 0u);
  EXPECT_EQ(f.evidence_ranges(0).count(), 2u);
  EXPECT_EQ(f.evidence_ranges(1).first(), (uint64_t{1} << 40) + 7);
  EXPECT_EQ(f.evidence_count(), 3u);
  EXPECT_EQ(absl::BytesToHexString(f.evidence_sha256()),
            "4c9236c7f55279e4041b8c7340e806b5083ec5f44f7f14ff05ee11bfddf9b7ea");
  auto cited = CitedOriginLeaves(f);
  ASSERT_TRUE(cited.ok()) << cited.status();
  EXPECT_EQ(*cited, (std::vector<OriginLeafRef>{{"a.example/log", 0},
                                                {"a.example/log", 1},
                                                {"b.example/log", 7}}));
}

TEST(OfficeEvidenceTest, RefusesAnOrdinalOutsideTheTable) {
  aifl::rules::v1::Finding f;
  SetOfficeEvidence({{"a", 1}}, &f);
  f.mutable_evidence_ranges(0)->set_first((uint64_t{3} << 40) + 1);
  EXPECT_EQ(CitedOriginLeaves(f).status().code(),
            absl::StatusCode::kInvalidArgument);
  aifl::rules::v1::Finding single_log;
  EXPECT_EQ(CitedOriginLeaves(single_log).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OfficeEvidenceTest, MessagesNameTheOrigin) {
  const std::vector<std::string> origins = {"a", "b"};
  const struct {
    std::string in, want;
  } cases[] = {
      {"met at leaf 5.", "met at leaf 5 of a."},
      {"(leaf 1099511627783, x)", "(leaf 7 of b, x)"},
      {"leaf 3298534883328 x", "leaf 3298534883328 x"},  // ordinal 3: kept
      {"leaf x, leaf", "leaf x, leaf"},
      {"no leaves", "no leaves"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WithOriginLeaves(c.in, origins), c.want) << c.in;
  }
}

}  // namespace
}  // namespace compliance
