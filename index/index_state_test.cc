#include "index/index_state.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace vindex {
namespace {

IndexState Sample(const ledger::merkle::CompactRange& input) {
  IndexState s;
  s.map_fn_version = 2;
  s.input_size = input.size();
  s.input_root = input.Root();
  s.map_root = HashOfBytes(std::string(32, '\x5a'));
  s.key_count = 7;
  return s;
}

ledger::merkle::CompactRange ThreeLeaves() {
  ledger::merkle::CompactRange input;
  for (const char* leaf : {"a", "b", "c"}) {
    input.Append(ledger::merkle::HashLeaf(leaf), nullptr);
  }
  return input;
}

// The bytes, spelled out (FORMAT.md, "Storage"): the state record, then
// the key checkpoint = the state record ‖ the input's frontier.
TEST(IndexStateTest, BytesAreTheFormat) {
  const ledger::merkle::CompactRange input = ThreeLeaves();
  const IndexState s = Sample(input);
  const std::string state =
      absl::StrCat(absl::HexStringToBytes("00000002"
                                          "0000000000000003"),
                   HashBytes(input.Root()), std::string(32, '\x5a'),
                   absl::HexStringToBytes("0000000000000007"));
  ASSERT_EQ(state.size(), 84u);
  EXPECT_EQ(EncodeIndexState(s), state);
  ASSERT_EQ(input.hashes().size(), 2u);
  EXPECT_EQ(EncodeKeyCheckpoint({s, input}),
            absl::StrCat(state, HashBytes(input.hashes()[0]),
                         HashBytes(input.hashes()[1])));
}

TEST(IndexStateTest, RoundTrips) {
  const ledger::merkle::CompactRange input = ThreeLeaves();
  const IndexState s = Sample(input);
  absl::StatusOr<KeyCheckpoint> back =
      DecodeKeyCheckpoint(EncodeKeyCheckpoint({s, input}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeIndexState(back->state), EncodeIndexState(s));
  EXPECT_EQ(back->input.size(), 3u);
  EXPECT_EQ(back->input.Root(), input.Root());
  absl::StatusOr<KeyCheckpoint> empty = DecodeKeyCheckpoint(
      EncodeKeyCheckpoint({Sample(ledger::merkle::CompactRange()), {}}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->input.size(), 0u);
}

TEST(IndexStateTest, BadBytesAreDataLoss) {
  const ledger::merkle::CompactRange input = ThreeLeaves();
  const std::string good = EncodeKeyCheckpoint({Sample(input), input});
  EXPECT_EQ(DecodeIndexState(good).status().code(),
            absl::StatusCode::kDataLoss);  // bytes after the state
  EXPECT_EQ(DecodeIndexState(good.substr(0, 83)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(
      DecodeKeyCheckpoint(good.substr(0, good.size() - 1)).status().code(),
      absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeKeyCheckpoint(good + "x").status().code(),
            absl::StatusCode::kDataLoss);
  // A frontier that does not make the state's input root.
  std::string other = good;
  other[good.size() - 1] ^= 1;
  EXPECT_EQ(DecodeKeyCheckpoint(other).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace vindex
