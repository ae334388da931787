#include "index/map_proof.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "index/map_tree.h"

namespace vindex {
namespace {

KeyValue ValueOf(int i) {
  KeyValue v;
  v.count = static_cast<uint64_t>(i) + 1;
  v.list_root = KeyHash(absl::StrCat("list-", i));
  return v;
}

// The root computed the slow way, straight from the definition: the set of
// keys split on each bit (FORMAT.md), to check the incremental tree.
Hash Reference(std::vector<std::pair<Hash, KeyValue>> items, int depth) {
  if (items.empty()) return EmptyMapHash();
  if (items.size() == 1) return MapLeafHash(items[0].first, items[0].second);
  std::vector<std::pair<Hash, KeyValue>> left, right;
  for (auto& item : items) {
    (KeyBit(item.first, depth) == 0 ? left : right).push_back(item);
  }
  return MapNodeHash(Reference(left, depth + 1), Reference(right, depth + 1));
}

MapTree TreeOf(int n) {
  MapTree tree;
  for (int i = 0; i < n; ++i)
    tree.Set(KeyHash(absl::StrCat("m", i)), ValueOf(i));
  return tree;
}

TEST(MapTreeTest, RootIsTheDefinitionWhateverTheOrder) {
  std::vector<std::pair<Hash, KeyValue>> items;
  for (int i = 0; i < 300; ++i) {
    items.emplace_back(KeyHash(absl::StrCat("m", i)), ValueOf(i));
  }
  std::vector<std::pair<Hash, KeyValue>> shuffled = items;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  MapTree a, b;
  for (auto& [k, v] : items) a.Set(k, KeyValue{});  // then updated below
  for (auto& [k, v] : items) a.Set(k, v);
  for (auto& [k, v] : shuffled) b.Set(k, v);
  EXPECT_EQ(a.size(), 300u);
  EXPECT_EQ(a.Root(), Reference(items, 0));
  EXPECT_EQ(b.Root(), a.Root());
}

// SetSorted in batches of every size (new keys, updated keys, keys that
// push a lone leaf down, batches of one) matches Set key by key: the same
// root and size after each batch, and the same proofs.
TEST(MapTreeTest, SetSortedInBatchesIsSetKeyByKey) {
  std::mt19937 rng(11);
  MapTree batched, single;
  std::vector<std::pair<Hash, KeyValue>> all;
  std::map<Hash, KeyValue> latest;
  for (int round = 0; round < 40; ++round) {
    const int n = round % 7 == 0 ? 1 : 1 + static_cast<int>(rng() % 60);
    std::vector<std::pair<Hash, KeyValue>> batch;
    for (int i = 0; i < n; ++i) {
      // Half new keys, half updates of earlier ones.
      const int id = rng() % 2 == 0 || all.empty()
                         ? round * 100 + i
                         : static_cast<int>(rng() % (round * 100 + 1));
      batch.emplace_back(KeyHash(absl::StrCat("m", id)),
                         ValueOf(round * 1000 + i));
    }
    std::sort(batch.begin(), batch.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    batch.erase(std::unique(batch.begin(), batch.end(),
                            [](const auto& a, const auto& b) {
                              return a.first == b.first;
                            }),
                batch.end());
    batched.SetSorted(batch);
    for (const auto& [k, v] : batch) single.Set(k, v);
    for (const auto& [k, v] : batch) latest[k] = v;
    ASSERT_EQ(batched.Root(), single.Root()) << "round " << round;
    // Both are one descent's code: check against the definition too.
    ASSERT_EQ(batched.Root(), Reference({latest.begin(), latest.end()}, 0))
        << "round " << round;
    ASSERT_EQ(batched.size(), single.size()) << "round " << round;
    all.insert(all.end(), batch.begin(), batch.end());
  }
  for (const auto& [k, v] : all) {
    KeyValue a, b;
    EXPECT_EQ(EncodeMapProof(batched.Prove(k, &a)),
              EncodeMapProof(single.Prove(k, &b)));
    EXPECT_EQ(a, b);
  }
}

TEST(MapTreeTest, EveryKeyProvesAndAbsentKeysProveAbsence) {
  const MapTree tree = TreeOf(200);
  for (int i = 0; i < 200; ++i) {
    KeyValue got;
    const Hash key = KeyHash(absl::StrCat("m", i));
    const MapProof proof = tree.Prove(key, &got);
    EXPECT_EQ(got, ValueOf(i));
    EXPECT_TRUE(VerifyMembership(tree.Root(), key, got, proof).ok());
    EXPECT_FALSE(VerifyNonMembership(tree.Root(), key, proof).ok());
    EXPECT_FALSE(
        VerifyMembership(tree.Root(), key, ValueOf(i + 1), proof).ok());
  }
  int other = 0;
  for (int i = 0; i < 200; ++i) {
    const Hash key = KeyHash(absl::StrCat("absent", i));
    const MapProof proof = tree.Prove(key, nullptr);
    other += proof.kind == MapProof::Kind::kAbsentOther;
    EXPECT_TRUE(VerifyNonMembership(tree.Root(), key, proof).ok()) << i;
    EXPECT_FALSE(VerifyMembership(tree.Root(), key, KeyValue{}, proof).ok());
  }
  EXPECT_GT(other, 0);  // both absent kinds were exercised
}

TEST(MapTreeTest, EmptyMapProvesAbsence) {
  const MapTree tree;
  const Hash key = KeyHash("x");
  const MapProof proof = tree.Prove(key, nullptr);
  EXPECT_TRUE(proof.siblings.empty());
  EXPECT_TRUE(VerifyNonMembership(EmptyMapHash(), key, proof).ok());
  EXPECT_EQ(EncodeMapProof(proof), std::string("\x01\x00\x00", 3));
}

// Flips each bit of the encoded proof: the result must not decode, or must
// not verify the same statement.
void ExpectEveryBitFlipFails(const MapTree& tree, const Hash& key, bool member,
                             const KeyValue& value) {
  const std::string bytes = EncodeMapProof(tree.Prove(key, nullptr));
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    std::string flipped = bytes;
    flipped[bit / 8] =
        static_cast<char>(flipped[bit / 8] ^ (0x80 >> (bit % 8)));
    absl::StatusOr<MapProof> proof = DecodeMapProof(flipped);
    if (!proof.ok()) continue;
    const absl::Status s =
        member ? VerifyMembership(tree.Root(), key, value, *proof)
               : VerifyNonMembership(tree.Root(), key, *proof);
    EXPECT_FALSE(s.ok()) << "bit " << bit << " of " << bytes.size() * 8;
  }
}

TEST(MapProofTest, EverySingleBitChangeOfAProofFails) {
  const MapTree tree = TreeOf(64);
  for (int i = 0; i < 8; ++i) {
    KeyValue v;
    const Hash key = KeyHash(absl::StrCat("m", i));
    tree.Prove(key, &v);
    ExpectEveryBitFlipFails(tree, key, true, v);
  }
  for (int i = 0; i < 16; ++i) {
    ExpectEveryBitFlipFails(tree, KeyHash(absl::StrCat("absent", i)), false,
                            KeyValue{});
  }
}

TEST(MapProofTest, EverySingleBitChangeOfKeyValueOrRootFails) {
  const MapTree tree = TreeOf(64);
  KeyValue value;
  const Hash key = KeyHash("m3");
  const MapProof proof = tree.Prove(key, &value);
  for (int bit = 0; bit < 256; ++bit) {
    Hash k = key, r = tree.Root(), l = value.list_root;
    k[bit / 8] ^= 0x80 >> (bit % 8);
    r[bit / 8] ^= 0x80 >> (bit % 8);
    l[bit / 8] ^= 0x80 >> (bit % 8);
    EXPECT_FALSE(VerifyMembership(tree.Root(), k, value, proof).ok());
    EXPECT_FALSE(VerifyMembership(r, key, value, proof).ok());
    EXPECT_FALSE(
        VerifyMembership(tree.Root(), key, KeyValue{value.count, l}, proof)
            .ok());
  }
  for (int bit = 0; bit < 64; ++bit) {
    KeyValue v = value;
    v.count ^= uint64_t{1} << bit;
    EXPECT_FALSE(VerifyMembership(tree.Root(), key, v, proof).ok());
  }
}

TEST(MapProofTest, RoundTripsAndRefusesNonCanonicalBytes) {
  const MapTree tree = TreeOf(50);
  const MapProof proof = tree.Prove(KeyHash("absent-1"), nullptr);
  const std::string bytes = EncodeMapProof(proof);
  absl::StatusOr<MapProof> back = DecodeMapProof(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeMapProof(*back), bytes);
  EXPECT_FALSE(DecodeMapProof(bytes + "x").ok());
  EXPECT_FALSE(DecodeMapProof(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(DecodeMapProof(std::string("\x03\x00\x00", 3)).ok());
  EXPECT_FALSE(DecodeMapProof(std::string("\x01\x01\x01", 3)).ok());
  // A sibling marked present must not be the empty hash.
  std::string zero_sibling("\x01\x00\x01\x80", 4);
  zero_sibling += std::string(32, '\0');
  EXPECT_FALSE(DecodeMapProof(zero_sibling).ok());
}

TEST(MapProofTest, OtherLeafOffThePathIsRefused) {
  const MapTree tree = TreeOf(50);
  Hash key;
  MapProof proof;
  for (int i = 0; proof.kind != MapProof::Kind::kAbsentOther; ++i) {
    ASSERT_LT(i, 1000);
    key = KeyHash(absl::StrCat("absent", i));
    proof = tree.Prove(key, nullptr);
  }
  ASSERT_FALSE(proof.siblings.empty());
  MapProof self = proof;
  self.other_key = key;
  EXPECT_FALSE(VerifyNonMembership(tree.Root(), key, self).ok());
  // A key hash that leaves the path at its first bit.
  Hash off = key;
  off[0] ^= 0x80;
  EXPECT_FALSE(VerifyNonMembership(tree.Root(), off, proof).ok());
}

TEST(MapProofTest, ProofForOneKeyOfManyIsSmall) {
  const MapTree tree = TreeOf(20000);
  size_t largest = 0;
  for (int i = 0; i < 1000; ++i) {
    largest = std::max(
        largest,
        EncodeMapProof(tree.Prove(KeyHash(absl::StrCat("m", i)), nullptr))
            .size());
  }
  // ~log2(20000) = 15 siblings of 32 bytes; the goal is 2 KB at 100k keys.
  EXPECT_LT(largest, 1024u);
}

}  // namespace
}  // namespace vindex
