#include "index/key_record.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "schema/collector.pb.h"

namespace vindex {
namespace {

// The key record of model "m" with list (3, 9, 12) and one training
// interval folded.
ModelMap::KeyState Sample() {
  ModelMap::KeyState key;
  key.model_id = "m";
  for (uint64_t i : {3, 9, 12}) key.list.Append(ListLeafHash(i), nullptr);
  aifl::collector::v1::IntervalReport r;
  r.set_node("n0");
  r.set_device_model("H100");
  r.set_start_unix_ms(1000);
  r.set_end_unix_ms(61000);
  r.set_gpu_count(4);
  r.set_gpu_seconds_allocated(240.5);
  r.mutable_flop()->set_lower(1e18);
  r.mutable_flop()->set_upper(1.5e18);
  r.set_purpose(aifl::common::v1::PRE_TRAINING);
  key.totals.AddInterval(r);
  return key;
}

// The bytes, spelled out (FORMAT.md, "Storage"): u64 count, the compact
// range's two hashes, u32 id length, the id, the fold state.
TEST(KeyRecordTest, BytesAreTheFormat) {
  const ModelMap::KeyState key = Sample();
  ASSERT_EQ(key.list.hashes().size(), 2u);
  const std::string want = absl::StrCat(
      absl::HexStringToBytes("0000000000000003"),
      HashBytes(key.list.hashes()[0]), HashBytes(key.list.hashes()[1]),
      absl::HexStringToBytes("00000001"), "m", key.totals.EncodeState());
  EXPECT_EQ(EncodeKeyRecord(key, /*with_totals=*/true), want);
  // Map version 1: no fold state.
  EXPECT_EQ(EncodeKeyRecord(key, /*with_totals=*/false),
            want.substr(0, 8 + 64 + 4 + 1));
}

TEST(KeyRecordTest, RoundTrips) {
  const ModelMap::KeyState key = Sample();
  for (bool with_totals : {true, false}) {
    absl::StatusOr<ModelMap::KeyState> back =
        DecodeKeyRecord(EncodeKeyRecord(key, with_totals), with_totals);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->model_id, "m");
    EXPECT_EQ(back->list.size(), 3u);
    EXPECT_EQ(back->list.Root(), key.list.Root());
    EXPECT_EQ(back->totals.EncodeState(), with_totals
                                              ? key.totals.EncodeState()
                                              : TotalsFold().EncodeState());
  }
}

TEST(KeyRecordTest, EveryTruncationIsDataLoss) {
  const std::string bytes = EncodeKeyRecord(Sample(), /*with_totals=*/true);
  for (size_t n = 0; n < 8 + 64 + 4 + 1; ++n) {
    EXPECT_TRUE(absl::IsDataLoss(
        DecodeKeyRecord(bytes.substr(0, n), /*with_totals=*/true).status()))
        << n;
  }
  // A fold state cut short, and bytes after a version 1 record.
  EXPECT_TRUE(absl::IsDataLoss(
      DecodeKeyRecord(bytes.substr(0, bytes.size() - 1), true).status()));
  EXPECT_TRUE(absl::IsDataLoss(
      DecodeKeyRecord(EncodeKeyRecord(Sample(), false) + "x", false).status()));
}

TEST(KeyRecordTest, LayoutOneRecordHasTheIdAsItsRest) {
  const ModelMap::KeyState key = Sample();
  const std::string layout_one =
      absl::StrCat(absl::HexStringToBytes("0000000000000003"),
                   EncodeRangeHashes(key.list.hashes()), "model with spaces");
  absl::StatusOr<ModelMap::KeyState> back =
      DecodeLayoutOneKeyRecord(layout_one);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->model_id, "model with spaces");
  EXPECT_EQ(back->list.Root(), key.list.Root());
  EXPECT_TRUE(absl::IsDataLoss(
      DecodeLayoutOneKeyRecord(layout_one.substr(0, 40)).status()));
}

}  // namespace
}  // namespace vindex
