// The stored form of an Office model's identity (ledger/FORMAT.md, "Office
// finding evidence" and "the Office ledger"): Finding.model_origin (20),
// ModelTotals.model_origin (9) and union_crossings (10), pinned by bytes
// written by hand from the protobuf wire format (tag = field << 3 | wire
// type; 1e25 as a little-endian IEEE double: Python struct.pack("<d", 1e25)).
// A known provider's finding sets no field 20: its bytes are as before.
#include "absl/strings/escaping.h"
#include "compliance/global_model.h"
#include "compliance/log_fold.h"
#include "gtest/gtest.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"

namespace compliance {
namespace {

TEST(OfficeStoredFormTest, FindingOfAnUnknownProvidersModel) {
  aifl::rules::v1::Finding f;
  f.set_model_id("m");
  f.set_model_origin("a");
  // 42 01 'm' (field 8), a2 01 01 'a' (field 20).
  EXPECT_EQ(absl::BytesToHexString(f.SerializeAsString()), "42016da2010161");
  EXPECT_EQ(FindingModel(f), "(unknown provider at a) / m");
}

TEST(OfficeStoredFormTest, FindingOfAKnownProvidersModelIsUnchanged) {
  aifl::rules::v1::Finding f;
  f.set_model_id("m");
  f.set_provider("P");
  f.set_model_origin(GlobalModelKey{"P", "", "m"}.origin);
  // 42 01 'm' (field 8), 9a 01 01 'P' (field 19): no field 20.
  EXPECT_EQ(absl::BytesToHexString(f.SerializeAsString()), "42016d9a010150");
  EXPECT_EQ(FindingModel(f), "P / m");
  // A factory's own finding: its model id alone.
  aifl::rules::v1::Finding factory;
  factory.set_model_id("m");
  EXPECT_EQ(FindingModel(factory), "m");
}

TEST(OfficeStoredFormTest, ModelTotalsWithAUnionCrossing) {
  aifl::office::v1::ModelTotals t;
  t.set_model_id("m");
  t.set_model_origin("a");
  aifl::office::v1::UnionCrossing* c = t.add_union_crossings();
  c->set_threshold_flop(1e25);
  c->set_origin("b");
  c->set_leaf_index(7);
  c->set_integration_time_unix_micros(5);
  // 0a 01 'm' (1), 4a 01 'a' (9), 52 10 (10) { 09 <1e25> (1), 1a 01 'b'
  // (3), 20 07 (4), 28 05 (5) }.
  EXPECT_EQ(absl::BytesToHexString(t.SerializeAsString()),
            "0a016d4a01615210099102282c2a8b20451a016220072805");
  aifl::office::v1::UnionCrossing modifier;
  modifier.set_modifier(true);
  modifier.set_origin("b");
  modifier.set_leaf_index(8);
  // 10 01 (2), 1a 01 'b' (3), 20 08 (4).
  EXPECT_EQ(absl::BytesToHexString(modifier.SerializeAsString()),
            "10011a01622008");
}

TEST(OfficeStoredFormTest, KeyTexts) {
  EXPECT_EQ((GlobalModelKey{"Lab", "", "m"}.Text()), "3:Labm");
  EXPECT_EQ((GlobalModelKey{"", "a.example/log", "m"}.Text()),
            "0:13:a.example/logm");
  EXPECT_NE((GlobalModelKey{"", "a", "m"}.Text()),
            (GlobalModelKey{"", "b", "m"}.Text()));
}

}  // namespace
}  // namespace compliance
