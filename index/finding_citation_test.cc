// Pins a finding's index citation (ledger/FORMAT.md, "Payload semantics:
// index citation"): its stored bytes, its list root (the index's list
// hashing, index/FORMAT.md "Lists", vector list_root(3,9,12)), and the check
// a reader makes of a proven list against it.
#include "index/finding_citation.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "schema/findings.pb.h"

namespace vindex {
namespace {

using aifl::rules::v1::Finding;
using aifl::rules::v1::IndexCitation;

// list_root(3,9,12) of index/testdata/map_vectors.txt (map_vectors.py).
constexpr char kListRoot3_9_12[] =
    "25e6137106bab8e3adf28d95f52308abb39e41bffcb634c3e1cd267e4d46fd77";

ledger::merkle::CompactRange Range(const std::vector<uint64_t>& list) {
  ledger::merkle::CompactRange range;
  for (uint64_t i : list) range.Append(ListLeafHash(i), nullptr);
  return range;
}

IndexCitation Golden() {
  return MakeIndexCitation("idx.example/log", 2, "model-a", 13,
                           Range({3, 9, 12}));
}

TEST(FindingCitationTest, CitationFieldsAndListRoot) {
  const IndexCitation c = Golden();
  EXPECT_EQ(c.index_origin(), "idx.example/log");
  EXPECT_EQ(c.map_fn_version(), 2u);
  EXPECT_EQ(c.model_key(), "model-a");
  EXPECT_EQ(c.input_size(), 13u);
  EXPECT_EQ(c.count(), 3u);
  EXPECT_EQ(absl::BytesToHexString(c.list_root()), kListRoot3_9_12);
}

TEST(FindingCitationTest, StoredBytesArePinned) {
  Finding f;
  f.set_model_id("model-a");
  // Without a citation the finding's bytes are as before (field 22 unset).
  EXPECT_EQ(absl::BytesToHexString(f.SerializeAsString()),
            "42076d6f64656c2d61");
  *f.mutable_index_citation() = Golden();
  // Field 8 (model_id), then field 22 (tag b2 01, 66 bytes): origin (1),
  // MapFn version (2), model key (3), input size (4), count (5), list root
  // (6, 32 bytes).
  EXPECT_EQ(absl::BytesToHexString(f.SerializeAsString()),
            absl::StrCat("42076d6f64656c2d61"
                         "b20142"
                         "0a0f6964782e6578616d706c652f6c6f67"
                         "1002"
                         "1a076d6f64656c2d61"
                         "200d"
                         "2803"
                         "3220",
                         kListRoot3_9_12));
}

TEST(FindingCitationTest, TheCitedListPasses) {
  EXPECT_TRUE(CheckCitedList(Golden(), {3, 9, 12}).ok());
  const IndexCitation empty =
      MakeIndexCitation("o", 2, "m", 5, ledger::merkle::CompactRange());
  EXPECT_TRUE(CheckCitedList(empty, {}).ok());
}

TEST(FindingCitationTest, AnotherListIsRefusedNamingBothValues) {
  for (const std::vector<uint64_t>& other : std::vector<std::vector<uint64_t>>{
           {3, 9}, {3, 9, 12, 13}, {3, 10, 12}, {9, 12}, {}}) {
    const absl::Status s = CheckCitedList(Golden(), other);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << other.size();
    EXPECT_NE(s.message().find("cited count 3"), std::string::npos) << s;
    EXPECT_NE(s.message().find(kListRoot3_9_12), std::string::npos) << s;
    EXPECT_NE(s.message().find(
                  absl::StrCat("the index's list: count ", other.size())),
              std::string::npos)
        << s;
  }
}

TEST(FindingCitationTest, EveryBitOfCountAndRootMatters) {
  for (int bit = 0; bit < 64; ++bit) {
    IndexCitation c = Golden();
    c.set_count(c.count() ^ (uint64_t{1} << bit));
    EXPECT_EQ(CheckCitedList(c, {3, 9, 12}).code(),
              absl::StatusCode::kDataLoss);
  }
  for (int bit = 0; bit < 256; ++bit) {
    IndexCitation c = Golden();
    std::string root = c.list_root();
    root[bit / 8] = static_cast<char>(root[bit / 8] ^ (1 << (bit % 8)));
    c.set_list_root(root);
    EXPECT_EQ(CheckCitedList(c, {3, 9, 12}).code(),
              absl::StatusCode::kDataLoss);
  }
  IndexCitation short_root = Golden();
  short_root.set_list_root(short_root.list_root().substr(1));
  EXPECT_EQ(CheckCitedList(short_root, {3, 9, 12}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vindex
