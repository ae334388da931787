// Pins the index's hashing and proof encoding (FORMAT.md) to vectors that
// testdata/map_vectors.py computes independently, from the format doc alone.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "index/map_proof.h"
#include "index/map_tree.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {
namespace {

std::map<std::string, std::string> Vectors() {
  std::ifstream in("index/testdata/map_vectors.txt");
  std::map<std::string, std::string> out;
  std::string name, hex;
  while (in >> name >> hex) out[name] = hex;
  return out;
}

std::string Hex(const Hash& h) { return ledger::merkle::HashToHex(h); }

Hash ListRoot(const std::vector<uint64_t>& indices) {
  ledger::merkle::CompactRange range;
  for (uint64_t i : indices) range.Append(ListLeafHash(i), nullptr);
  return range.Root();
}

MapTree GoldenTree() {
  const std::map<std::string, std::vector<uint64_t>> models = {
      {"model-a", {3, 9, 12}},
      {"model-b", {5}},
      {"model-c", {0, 1}},
      {"model-d", {2}}};
  MapTree tree;
  for (const auto& [id, list] : models) {
    tree.Set(KeyHash(id), KeyValue{list.size(), ListRoot(list)});
  }
  return tree;
}

TEST(MapGoldenTest, HashesMatchTheIndependentScript) {
  std::map<std::string, std::string> v = Vectors();
  ASSERT_EQ(v.size(), 11u) << "index/testdata/map_vectors.txt not read";
  const Hash a = KeyHash("model-a");
  const KeyValue a_value{3, ListRoot({3, 9, 12})};
  EXPECT_EQ(Hex(a), v["key_hash(model-a)"]);
  EXPECT_EQ(Hex(ListLeafHash(7)), v["list_leaf(7)"]);
  EXPECT_EQ(Hex(a_value.list_root), v["list_root(3,9,12)"]);
  EXPECT_EQ(Hex(MapLeafHash(a, a_value)), v["map_leaf(model-a)"]);
  EXPECT_EQ(Hex(MapNodeHash(MapLeafHash(a, a_value), EmptyMapHash())),
            v["map_node(a-leaf,zeros)"]);
  EXPECT_EQ(Hex(GoldenTree().Root()), v["map_root"]);
}

TEST(MapGoldenTest, ProofBytesMatchTheIndependentScript) {
  std::map<std::string, std::string> v = Vectors();
  const MapTree tree = GoldenTree();
  for (const char* name : {"model-a", "model-b", "model-zz", "absent-2"}) {
    SCOPED_TRACE(name);
    const std::string want = v[absl::StrCat("proof(", name, ")")];
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(absl::BytesToHexString(
                  EncodeMapProof(tree.Prove(KeyHash(name), nullptr))),
              want);
  }
}

TEST(MapGoldenTest, GoldenProofsCoverEveryKind) {
  const MapTree tree = GoldenTree();
  EXPECT_EQ(tree.Prove(KeyHash("model-a"), nullptr).kind,
            MapProof::Kind::kMember);
  EXPECT_EQ(tree.Prove(KeyHash("model-zz"), nullptr).kind,
            MapProof::Kind::kAbsentEmpty);
  EXPECT_EQ(tree.Prove(KeyHash("absent-2"), nullptr).kind,
            MapProof::Kind::kAbsentOther);
  // model-a's path has an empty sibling (at depth 2): the bitmap's case.
  const MapProof a = tree.Prove(KeyHash("model-a"), nullptr);
  ASSERT_EQ(a.siblings.size(), 4u);
  EXPECT_EQ(a.siblings[2], EmptyMapHash());
}

TEST(MapGoldenTest, EmptyMapRootIsZeros) {
  EXPECT_EQ(Hex(MapTree().Root()), std::string(64, '0'));
}

}  // namespace
}  // namespace vindex
