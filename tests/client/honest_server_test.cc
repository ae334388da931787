// The client against an honest server: submission, receipts, proofs,
// consistency across appends, and trust that survives a restart.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "api/client/ledger_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tests/client/client_test_base.h"

namespace client_test {
namespace {

using ::testing::HasSubstr;

class HonestServerTest : public ClientTestBase {};

TEST_F(HonestServerTest, SubmittedEntriesGetVerifiedProofReceipts) {
  auto client = NewClient();
  auto entries = SubmitEntries(*client, 5);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_TRUE(client->ConfirmIncluded(entries, /*wait=*/false).ok());

  std::vector<uint64_t> indices;
  for (const auto& e : entries) indices.push_back(e.receipt.leaf_index());
  auto receipt = client->GetProofReceipt(indices, /*wait=*/true);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  for (const auto& e : entries) {
    EXPECT_TRUE(client->VerifyReceipt(e.envelope, e.receipt, *receipt).ok());
  }
  // Another entry's bytes, or another integration time, do not verify.
  EXPECT_DATA_LOSS(
      client->VerifyReceipt(entries[1].envelope, entries[0].receipt, *receipt),
      "inclusion proof for leaf");
  auto shifted = entries[0].receipt;
  shifted.set_integration_time_unix_micros(
      shifted.integration_time_unix_micros() + 1);
  EXPECT_DATA_LOSS(
      client->VerifyReceipt(entries[0].envelope, shifted, *receipt),
      "does not match checkpoint root");
}

TEST_F(HonestServerTest, RefusedEntriesCarryTheServersCodeAndMessage) {
  auto client = NewClient();
  auto gap =
      server_->collector().SignAt(server_->collector().next_sequence() + 5,
                                  "aifl.collector.v1.IntervalReport", "x");
  ASSERT_TRUE(gap.ok());
  auto results = client->Submit({*gap});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(HonestServerTest, ResubmissionReturnsTheOriginalReceipt) {
  auto client = NewClient();
  auto entries = SubmitEntries(*client, 1);
  ASSERT_EQ(entries.size(), 1u);
  auto again = client->Submit({entries[0].envelope});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)[0].ok());
  EXPECT_TRUE((*again)[0]->duplicate());
  EXPECT_EQ((*again)[0]->leaf_index(), entries[0].receipt.leaf_index());
}

TEST_F(HonestServerTest, CheckpointsStayConsistentAcrossAppends) {
  auto client = NewClient();
  auto first = client->LatestCheckpoint();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(server_->AppendAndPublish(3).ok());
  auto second = client->LatestCheckpoint();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->fields.size, first->fields.size + 3);
  ASSERT_TRUE(server_->AppendAndPublish(5).ok());
  auto third = client->ConsistencyProof(first->fields.size, 0);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->fields.size, first->fields.size + 8);
  EXPECT_EQ(client->trusted()->fields.size, third->fields.size);
  // A historical checkpoint is accepted once shown a prefix of the trusted.
  auto old = client->CheckpointAt(second->fields.size);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->fields.root, second->fields.root);
  EXPECT_EQ(client->trusted()->fields.size, third->fields.size);
}

// Concurrent calls on one client may be answered out of order; an answer
// older than what another thread trusted meanwhile is not a rollback (found
// by the factory simulator with 16 shipping threads on one client).
TEST_F(HonestServerTest, ConcurrentCallsAnsweredOutOfOrderAreNoRollback) {
  auto client = NewClient();
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto cp = client->LatestCheckpoint();
        if (!cp.ok()) {
          ADD_FAILURE() << cp.status();
          ++errors;
          return;
        }
      }
    });
  }
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
}

TEST_F(HonestServerTest, EntriesAndInclusionProofsVerify) {
  auto client = NewClient();
  ASSERT_TRUE(server_->AppendAndPublish(6).ok());
  auto entries = client->GetVerifiedEntries(0, 100);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(entries->leaves.size(), entries->checkpoint.fields.size);
  auto leaf = client->InclusionProofByIndex(3);
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(leaf->leaf, entries->leaves[3].leaf);
  auto index =
      client->InclusionProofByHash(ledger::merkle::HashLeaf(leaf->leaf));
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(*index, 3u);
  EXPECT_EQ(client->GetVerifiedEntries(1000, 1).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(HonestServerTest, TrustSurvivesARestartOfTheClient) {
  const std::string dir = ledger::testonly::FreshDir("trust");
  uint64_t trusted_size = 0;
  {
    auto client = NewClient(dir);
    ASSERT_TRUE(server_->AppendAndPublish(4).ok());
    auto checkpoint = client->LatestCheckpoint();
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
    trusted_size = checkpoint->fields.size;
  }
  auto restarted = NewClient(dir);
  ASSERT_TRUE(restarted->trusted().has_value());
  EXPECT_EQ(restarted->trusted()->fields.size, trusted_size);
  ASSERT_TRUE(server_->AppendAndPublish(2).ok());
  auto next = restarted->LatestCheckpoint();
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->fields.size, trusted_size + 2);
}

TEST_F(HonestServerTest, StatusAndGrpcErrorsPassThrough) {
  auto client = NewClient();
  auto status = client->GetStatus();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->verifier_key(), server_->verifier_key());
  // The fake server does not implement ListKeys.
  auto keys = client->ListKeys();
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(keys.status().message()),
              HasSubstr("Admin.ListKeys: "));
}

TEST_F(HonestServerTest, OwnKeyStateGivesTheNextSequence) {
  ASSERT_TRUE(server_->AppendAndPublish(3).ok());
  auto client = NewClient();
  const auto& id = server_->collector().key_id().bytes();
  auto state = client->OwnKeyState(
      std::string(reinterpret_cast<const char*>(id.data()), id.size()));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->role(), "collector");
  EXPECT_EQ(state->next_sequence(), server_->collector().next_sequence());
  EXPECT_FALSE(state->revoked());
  auto unknown = client->OwnKeyState(std::string(16, '\x01'));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(HonestServerTest, RejectsABadVerifierKey) {
  auto client =
      api::client::LedgerClient::Create(server_->NewChannel(), "not a key");
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace client_test
