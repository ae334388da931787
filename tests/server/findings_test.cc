// Models and findings over real gRPC: findings the rules engine appended are
// listed (filtered, paged) and streamed; models are folded from provider
// declarations.
#include <memory>
#include <string>
#include <thread>

#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "schema/provider.pb.h"
#include "tests/server/server_harness.h"

namespace tests::server {
namespace {

using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;

class FindingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto harness = ServerHarness::StartLoopback(absl::Milliseconds(20));
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    ingest_ = Ingest::NewStub(harness_->InsecureChannel());
    audit_ = Audit::NewStub(harness_->InsecureChannel());
    rules_ =
        harness_->fixture().EnrolNewKey(aifl::ledger::v1::ROLE_RULES).value();
    provider_ = harness_->fixture()
                    .EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER, "Lab")
                    .value();
  }

  uint64_t Submit(const std::string& envelope) {
    aifl::api::v1::SubmitRequest request;
    request.add_envelopes(envelope);
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(ingest_->Submit(&ctx, request, &response).ok());
    EXPECT_TRUE(response.results(0).has_receipt())
        << response.results(0).error().message();
    return response.results(0).receipt().leaf_index();
  }

  uint64_t SubmitFinding(const std::string& rule,
                         aifl::rules::v1::Severity severity,
                         const std::string& model) {
    aifl::rules::v1::Finding f;
    f.set_rule_id(rule);
    f.set_unit(aifl::rules::v1::AI_SAFETY);
    f.set_severity(severity);
    f.set_model_id(model);
    f.set_state(aifl::rules::v1::RAISED);
    f.set_evaluated_at_unix_ms(
        absl::ToUnixMillis(harness_->fixture().clock().Now()));
    return Submit(
        rules_->SignNext("aifl.rules.v1.Finding", f.SerializeAsString())
            .value());
  }

  std::unique_ptr<ServerHarness> harness_;
  std::unique_ptr<Ingest::Stub> ingest_;
  std::unique_ptr<Audit::Stub> audit_;
  std::unique_ptr<ledger::EntrySigner> rules_, provider_;
};

TEST_F(FindingsTest, ListsFindingsFilteredAndPaged) {
  SubmitFinding("r1", aifl::rules::v1::INFO, "m1");
  uint64_t second = SubmitFinding("r2", aifl::rules::v1::VIOLATION, "m1");
  SubmitFinding("r3", aifl::rules::v1::CRITICAL, "m2");
  aifl::api::v1::ListFindingsRequest request;
  request.set_min_severity(aifl::rules::v1::VIOLATION);
  request.set_page_size(1);
  aifl::api::v1::ListFindingsResponse page1, page2;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListFindings(&ctx, request, &page1).ok());
  }
  ASSERT_EQ(page1.findings_size(), 1);
  EXPECT_EQ(page1.findings(0).leaf_index(), second);
  EXPECT_EQ(page1.findings(0).finding().rule_id(), "r2");
  ASSERT_FALSE(page1.next_page_token().empty());
  request.set_page_token(page1.next_page_token());
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListFindings(&ctx, request, &page2).ok());
  }
  ASSERT_EQ(page2.findings_size(), 1);
  EXPECT_EQ(page2.findings(0).finding().rule_id(), "r3");
  EXPECT_TRUE(page2.next_page_token().empty());

  aifl::api::v1::ListFindingsRequest by_model;
  by_model.set_model_id("m1");
  aifl::api::v1::ListFindingsResponse m1;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->ListFindings(&ctx, by_model, &m1).ok());
  EXPECT_EQ(m1.findings_size(), 2);
}

TEST_F(FindingsTest, FindingsSignedByOtherRolesAreNotFindings) {
  // The ledger refuses aifl.rules.v1.* from a provider key outright.
  aifl::rules::v1::Finding f;
  f.set_rule_id("fake");
  aifl::api::v1::SubmitRequest request;
  request.add_envelopes(
      provider_->SignNext("aifl.rules.v1.Finding", f.SerializeAsString())
          .value());
  aifl::api::v1::SubmitResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(ingest_->Submit(&ctx, request, &response).ok());
  EXPECT_EQ(response.results(0).error().code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(FindingsTest, WatchReplaysThenStreamsNewFindings) {
  uint64_t first = SubmitFinding("r1", aifl::rules::v1::WARNING, "m1");
  SubmitFinding("r0", aifl::rules::v1::INFO, "m1");  // filtered out
  grpc::ClientContext ctx;
  aifl::api::v1::WatchFindingsRequest request;
  request.set_min_severity(aifl::rules::v1::WARNING);
  request.set_from_leaf(0);
  auto reader = audit_->WatchFindings(&ctx, request);
  aifl::api::v1::RecordedFinding got;
  ASSERT_TRUE(reader->Read(&got));
  EXPECT_EQ(got.leaf_index(), first);
  uint64_t later = SubmitFinding("r2", aifl::rules::v1::CRITICAL, "m2");
  ASSERT_TRUE(reader->Read(&got));  // pushed within a checkpoint interval
  EXPECT_EQ(got.leaf_index(), later);
  EXPECT_EQ(got.finding().rule_id(), "r2");
  ctx.TryCancel();
  while (reader->Read(&got)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(FindingsTest, ModelsAreFoldedFromDeclarations) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("lab/model-a");
  d.set_provider("Lab");
  Submit(
      provider_
          ->SignNext("aifl.provider.v1.ModelDeclaration", d.SerializeAsString())
          .value());
  SubmitFinding("r9", aifl::rules::v1::VIOLATION, "lab/model-a");
  aifl::api::v1::ListModelsResponse models;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->ListModels(&ctx, {}, &models).ok());
  }
  ASSERT_EQ(models.models_size(), 1);
  EXPECT_EQ(models.models(0).model_id(), "lab/model-a");
  EXPECT_EQ(models.models(0).provider(), "Lab");
  EXPECT_EQ(models.models(0).open_findings(), 1u);
  aifl::api::v1::GetModelRequest request;
  request.set_model_id("lab/model-a");
  aifl::api::v1::ModelDetail detail;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit_->GetModel(&ctx, request, &detail).ok());
  EXPECT_EQ(detail.summary().model_id(), "lab/model-a");
  EXPECT_EQ(detail.findings_size(), 1);
  EXPECT_EQ(detail.evidence_leaves_size(), 1);
}

}  // namespace
}  // namespace tests::server
