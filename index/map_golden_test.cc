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
#include "index/model_totals.h"
#include "ledger/merkle/compact_range.h"
#include "schema/collector.pb.h"

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
  ASSERT_EQ(v.size(), 16u) << "index/testdata/map_vectors.txt not read";
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

// map_vectors.py's INTERVALS, as IntervalReports.
ModelTotals GoldenTotals() {
  namespace c = ::aifl::common::v1;
  struct Row {
    const char* node;
    const char* device;
    int64_t start, end;
    uint32_t gpus;
    double gpu_s;
    bool has_energy;
    double energy, lo, hi;
    c::ComputeMethod method;
    c::Precision low, high;
    c::RunPurpose purpose;
  };
  const Row rows[] = {
      {"n1", "H100", 1000, 61000, 8, 480.0, true, 2.5e6, 1e18, 1.5e18,
       c::MEASURED_TENSOR_ACTIVITY, c::FP8, c::BF16, c::PRE_TRAINING},
      {"n2", "", 500, 90000, 4, 100.5, false, 0, 2e17, 3e17,
       c::MEASURED_BUSY_TIME, c::PRECISION_UNSPECIFIED,
       c::PRECISION_UNSPECIFIED, c::RUN_PURPOSE_UNSPECIFIED},
      {"n1", "H100", 2000, 70000, 6, 50.25, true, 1e6, 5e17, 6e17,
       c::MEASURED_TENSOR_ACTIVITY, c::PRECISION_UNSPECIFIED,
       c::PRECISION_UNSPECIFIED, c::MERGE_OR_INIT},
      {"n9", "H100", 0, 99999999, 64, 1e9, true, 1e12, 1e25, 1e25,
       c::MEASURED_COUNTED, c::PRECISION_UNSPECIFIED, c::PRECISION_UNSPECIFIED,
       c::EVALUATION},
  };
  TotalsFold fold;
  for (const Row& row : rows) {
    aifl::collector::v1::IntervalReport r;
    r.set_node(row.node);
    r.set_device_model(row.device);
    r.set_start_unix_ms(row.start);
    r.set_end_unix_ms(row.end);
    r.set_gpu_count(row.gpus);
    r.set_gpu_seconds_allocated(row.gpu_s);
    if (row.has_energy) r.set_energy_joules(row.energy);
    r.mutable_flop()->set_lower(row.lo);
    r.mutable_flop()->set_upper(row.hi);
    r.mutable_flop()->set_method(row.method);
    r.set_precision_low(row.low);
    r.set_precision_high(row.high);
    r.set_purpose(row.purpose);
    fold.AddInterval(r);
  }
  return fold.totals();
}

TEST(MapGoldenTest, VersionTwoMatchesTheIndependentScript) {
  std::map<std::string, std::string> v = Vectors();
  const ModelTotals totals = GoldenTotals();
  EXPECT_EQ(absl::BytesToHexString(EncodeTotals(totals)),
            v["totals(intervals)"]);
  EXPECT_EQ(absl::BytesToHexString(EncodeTotals(ModelTotals())),
            v["totals(empty)"]);
  const std::map<std::string, std::vector<uint64_t>> models = {
      {"model-a", {3, 9, 12}},
      {"model-b", {5}},
      {"model-c", {0, 1}},
      {"model-d", {2}}};
  MapTree tree;
  for (const auto& [id, list] : models) {
    KeyValue value{list.size(), ListRoot(list), true,
                   TotalsHash(id == "model-a" ? totals : ModelTotals())};
    if (id == "model-a") {
      EXPECT_EQ(Hex(MapLeafHash(KeyHash(id), value)),
                v["map_leaf_v2(model-a)"]);
    }
    tree.Set(KeyHash(id), value);
  }
  EXPECT_EQ(Hex(tree.Root()), v["map_root_v2"]);
  const std::string proof =
      EncodeMapProof(tree.Prove(KeyHash("absent-2"), nullptr));
  EXPECT_EQ(absl::BytesToHexString(proof), v["proof_v2(absent-2)"]);
  absl::StatusOr<MapProof> back = DecodeMapProof(proof);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(
      VerifyNonMembership(tree.Root(), KeyHash("absent-2"), *back).ok());
  // Every single-bit change of the kind 3 proof fails.
  for (size_t i = 0; i < proof.size() * 8; ++i) {
    std::string changed = proof;
    changed[i / 8] ^= static_cast<char>(0x80 >> (i % 8));
    absl::StatusOr<MapProof> p = DecodeMapProof(changed);
    EXPECT_FALSE(p.ok() &&
                 VerifyNonMembership(tree.Root(), KeyHash("absent-2"), *p).ok())
        << "bit " << i;
  }
}

TEST(MapGoldenTest, EmptyMapRootIsZeros) {
  EXPECT_EQ(Hex(MapTree().Root()), std::string(64, '0'));
}

}  // namespace
}  // namespace vindex
