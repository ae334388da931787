// Each payload type name is its proto message's full name, so entries signed
// under it parse as that message.
#include "rules/payload_types.h"

#include <string>

#include "gtest/gtest.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace rules {
namespace {

template <typename Message>
std::string FullName() {
  return Message::descriptor()->full_name();
}

TEST(PayloadTypesTest, EachNameIsItsMessagesFullName) {
  EXPECT_EQ(kRunStartedType, FullName<aifl::collector::v1::RunStarted>());
  EXPECT_EQ(kIntervalReportType,
            FullName<aifl::collector::v1::IntervalReport>());
  EXPECT_EQ(kRunEndedType, FullName<aifl::collector::v1::RunEnded>());
  EXPECT_EQ(kKernelSummaryType, FullName<aifl::collector::v1::KernelSummary>());
  EXPECT_EQ(kRecordRefusedType, FullName<aifl::collector::v1::RecordRefused>());
  EXPECT_EQ(kModelDeclarationType,
            FullName<aifl::provider::v1::ModelDeclaration>());
  EXPECT_EQ(kDocumentSubmissionType,
            FullName<aifl::provider::v1::DocumentSubmission>());
  EXPECT_EQ(kNotificationType, FullName<aifl::provider::v1::Notification>());
  EXPECT_EQ(kEvaluationReportType,
            FullName<aifl::provider::v1::EvaluationReport>());
  EXPECT_EQ(kIncidentReportType,
            FullName<aifl::provider::v1::IncidentReport>());
  EXPECT_EQ(kDesignationType, FullName<aifl::office::v1::Designation>());
  EXPECT_EQ(kRebuttalDecisionType,
            FullName<aifl::office::v1::RebuttalDecision>());
  EXPECT_EQ(kFactoryCheckpointType,
            FullName<aifl::office::v1::FactoryCheckpoint>());
  EXPECT_EQ(kModelTotalsType, FullName<aifl::office::v1::ModelTotals>());
  EXPECT_EQ(kFindingType, FullName<aifl::rules::v1::Finding>());
}

TEST(PayloadTypesTest, PrefixesAreTheProtoPackages) {
  EXPECT_EQ(
      std::string(kProviderTypePrefix),
      aifl::provider::v1::ModelDeclaration::descriptor()->file()->package() +
          ".");
  EXPECT_EQ(
      std::string(kOfficeTypePrefix),
      aifl::office::v1::Designation::descriptor()->file()->package() + ".");
}

}  // namespace
}  // namespace rules
