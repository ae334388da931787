// GrpcLogReader over the fake server: an honest server's log audits clean
// through it; a server that changes a leaf or sends a bad proof is refused
// with kDataLoss, and the audit names what it did.
#include "api/client/grpc_log_reader.h"

#include "api/client/log_audit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/client_test_base.h"

namespace client_test {
namespace {

using ::testing::HasSubstr;

class GrpcLogReaderTest : public ClientTestBase {
 protected:
  std::unique_ptr<api::client::GrpcLogReader> NewReader() {
    return std::make_unique<api::client::GrpcLogReader>(NewClient(), "fake:1");
  }
};

TEST_F(GrpcLogReaderTest, AuditsAnHonestServer) {
  ASSERT_TRUE(server_->AppendAndPublish(2).ok());
  const uint64_t first = server_->fixture().ledger().Size();
  ASSERT_TRUE(server_->AppendAndPublish(10).ok());
  auto reader = NewReader();
  EXPECT_EQ(reader->Source(), "server fake:1");
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  api::client::LogAuditOptions options;
  options.page = 5;  // several pages
  auto report = api::client::AuditLog(*reader, *latest, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, latest->fields.size);

  auto proven = reader->ProveLeaf(*latest, 3);
  ASSERT_TRUE(proven.ok()) << proven.status();
  auto older = reader->CheckpointAt(first);
  ASSERT_TRUE(older.ok()) << older.status();
  auto proof = reader->ProveConsistency(*older, *latest);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_FALSE(proof->empty());
}

TEST_F(GrpcLogReaderTest, AChangedLeafIsDataLossAndFailsTheAudit) {
  ASSERT_TRUE(server_->AppendAndPublish(4).ok());
  auto reader = NewReader();
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  server_->set_misbehaviour(Misbehaviour::kTamperedLeaf);
  EXPECT_DATA_LOSS(reader->ProveLeaf(*latest, 1).status(), "inclusion proof");
  EXPECT_DATA_LOSS(reader->ReadLeaves(*latest, 0, 10).status(),
                   "inclusion proof");
  auto report = api::client::AuditLog(*reader, *latest);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok);
  EXPECT_THAT(report->problem, HasSubstr("inclusion proof for leaf 0"));
}

TEST_F(GrpcLogReaderTest, ABadProofIsDataLoss) {
  ASSERT_TRUE(server_->AppendAndPublish(2).ok());
  const uint64_t first = server_->fixture().ledger().Size();
  ASSERT_TRUE(server_->AppendAndPublish(4).ok());
  auto reader = NewReader();
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  auto older = reader->CheckpointAt(first);
  ASSERT_TRUE(older.ok()) << older.status();
  server_->set_misbehaviour(Misbehaviour::kBadInclusionProof);
  EXPECT_DATA_LOSS(reader->ProveLeaf(*latest, 2).status(),
                   "inclusion proof for leaf 2");
  server_->set_misbehaviour(Misbehaviour::kBadConsistencyProof);
  EXPECT_DATA_LOSS(reader->ProveConsistency(*older, *latest).status(),
                   "consistency proof");
}

}  // namespace
}  // namespace client_test
