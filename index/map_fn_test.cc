#include "index/map_fn.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace vindex {
namespace {

using Models = std::vector<std::string>;

template <typename Msg>
std::string WithModel(const std::string& id) {
  Msg m;
  m.set_model_id(id);
  return m.SerializeAsString();
}

TEST(MapFnTest, EachTypeAboutAModelMapsToTheIdItNames) {
  namespace p = aifl::provider::v1;
  namespace o = aifl::office::v1;
  namespace c = aifl::collector::v1;
  EXPECT_EQ(
      ModelsOfPayload(rules::kRunStartedType, WithModel<c::RunStarted>("m")),
      Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kIntervalReportType,
                            WithModel<c::IntervalReport>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kModelDeclarationType,
                            WithModel<p::ModelDeclaration>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kDocumentSubmissionType,
                            WithModel<p::DocumentSubmission>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kNotificationType,
                            WithModel<p::Notification>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kEvaluationReportType,
                            WithModel<p::EvaluationReport>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kIncidentReportType,
                            WithModel<p::IncidentReport>("m")),
            Models{"m"});
  EXPECT_EQ(
      ModelsOfPayload(rules::kDesignationType, WithModel<o::Designation>("m")),
      Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kRebuttalDecisionType,
                            WithModel<o::RebuttalDecision>("m")),
            Models{"m"});
  EXPECT_EQ(ModelsOfPayload(rules::kFindingType,
                            WithModel<aifl::rules::v1::Finding>("m")),
            Models{"m"});
}

TEST(MapFnTest, DeclarationIsAlsoAboutItsBaseModel) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("child");
  d.mutable_base_model()->set_model_id("base");
  EXPECT_EQ(
      ModelsOfPayload(rules::kModelDeclarationType, d.SerializeAsString()),
      (Models{"child", "base"}));
  d.mutable_base_model()->set_model_id("child");  // no repeats
  EXPECT_EQ(
      ModelsOfPayload(rules::kModelDeclarationType, d.SerializeAsString()),
      Models{"child"});
}

TEST(MapFnTest, NoModelForOtherTypesEmptyIdsAndUnparsablePayloads) {
  EXPECT_TRUE(ModelsOfPayload(rules::kRunEndedType, "").empty());
  EXPECT_TRUE(ModelsOfPayload("aifl.collector.v1.Blob", "m").empty());
  EXPECT_TRUE(ModelsOfPayload("aifl.ledger.v1.KeyEvent", "").empty());
  EXPECT_TRUE(ModelsOfPayload(rules::kNotificationType,
                              WithModel<aifl::provider::v1::Notification>(""))
                  .empty());
  EXPECT_TRUE(ModelsOfPayload(rules::kNotificationType, "\xff\xff").empty());
}

TEST(MapFnTest, LeafThatDoesNotParseIsDataLoss) {
  absl::StatusOr<Models> got = ModelsOfLeaf(4, "not a leaf");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(got.status().message().find("leaf 4"), absl::string_view::npos);
}

}  // namespace
}  // namespace vindex
