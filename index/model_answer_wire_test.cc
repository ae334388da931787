#include "index/model_answer_wire.h"

#include "gtest/gtest.h"
#include "index/map_hash.h"

namespace vindex {
namespace {

ModelAnswer Sample() {
  ModelAnswer a;
  a.output_leaf_index = 9;
  a.output_leaf = "leaf";
  a.output_proof = {KeyHash("a"), KeyHash("b")};
  a.map_proof = std::string("\x01\x00\x00", 3);
  a.list = {3, 7};
  a.entries = {{3, "three", {KeyHash("c")}}, {7, "seven", {}}};
  return a;
}

TEST(ModelAnswerWireTest, RoundTrips) {
  const aifl::index::v1::ModelAnswer p = ModelAnswerToProto(Sample(), "m");
  EXPECT_EQ(p.model_id(), "m");
  absl::StatusOr<ModelAnswer> back = ModelAnswerFromProto(p);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->output_leaf_index, 9u);
  EXPECT_EQ(back->output_proof, Sample().output_proof);
  EXPECT_EQ(back->map_proof, Sample().map_proof);
  EXPECT_EQ(back->list, Sample().list);
  ASSERT_EQ(back->entries.size(), 2u);
  EXPECT_EQ(back->entries[0].proof, Sample().entries[0].proof);
  EXPECT_EQ(back->entries[1].leaf, "seven");
}

TEST(ModelAnswerWireTest, RefusesAHashOfTheWrongLength) {
  aifl::index::v1::ModelAnswer p = ModelAnswerToProto(Sample(), "m");
  p.mutable_entries(0)->mutable_proof(0)->pop_back();
  absl::StatusOr<ModelAnswer> back = ModelAnswerFromProto(p);
  EXPECT_EQ(back.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(back.status().message().find("entry 3"), absl::string_view::npos);
}

TEST(ModelAnswerWireTest, RedactedEntryRoundTripsAndMustHaveNoLeaf) {
  ModelAnswer a = Sample();
  a.entries[1] = Redact(a.entries[1]);
  aifl::index::v1::ModelAnswer p = ModelAnswerToProto(a, "m");
  EXPECT_TRUE(p.entries(1).leaf().empty());
  absl::StatusOr<ModelAnswer> back = ModelAnswerFromProto(p);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->entries[0].redacted);
  EXPECT_TRUE(back->entries[1].redacted);
  EXPECT_EQ(back->entries[1].leaf_hash, a.entries[1].leaf_hash);
  EXPECT_TRUE(back->entries[1].leaf.empty());
  // A leaf hash beside a leaf, or of the wrong length, does not parse.
  p.mutable_entries(1)->set_leaf("seven");
  EXPECT_EQ(ModelAnswerFromProto(p).status().code(),
            absl::StatusCode::kInvalidArgument);
  p.mutable_entries(1)->clear_leaf();
  p.mutable_entries(1)->mutable_leaf_hash()->pop_back();
  EXPECT_EQ(ModelAnswerFromProto(p).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vindex
