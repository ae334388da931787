// The client against a server that rewrites, forks or rolls back history, or
// serves bad proofs and signatures: each is refused with kDataLoss and a
// message saying what the server did wrong.
#include "api/client/ledger_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tests/client/client_test_base.h"

namespace client_test {
namespace {

class MaliciousServerTest : public ClientTestBase {
 protected:
  // A client that trusts the honest checkpoint after `n` appends.
  std::unique_ptr<api::client::LedgerClient> TrustingClient(
      int n, const std::string& store_dir = "") {
    EXPECT_TRUE(server_->AppendAndPublish(n).ok());
    auto client = NewClient(store_dir);
    auto checkpoint = client->LatestCheckpoint();
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
    return client;
  }
};

TEST_F(MaliciousServerTest, RefusesACheckpointSignedByAnotherKey) {
  auto client = NewClient();
  server_->set_misbehaviour(Misbehaviour::kWrongSignature);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(),
                   "checkpoint signature does not verify for key " +
                       server_->verifier_key());
  EXPECT_FALSE(client->trusted().has_value());
}

TEST_F(MaliciousServerTest, RefusesARollbackToAnOlderCheckpoint) {
  ASSERT_TRUE(server_->AppendAndPublish(2).ok());
  auto old_note = server_->fixture().ledger().LatestCheckpoint();
  ASSERT_TRUE(old_note.ok());
  const uint64_t old_size = server_->fixture().ledger().Size();
  auto client = TrustingClient(3);
  server_->set_rollback_note(*old_note);
  server_->set_misbehaviour(Misbehaviour::kRollback);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(),
                   "server rolled back from size " +
                       std::to_string(old_size + 3) + " to " +
                       std::to_string(old_size));
  EXPECT_EQ(client->trusted()->fields.size, old_size + 3);
}

TEST_F(MaliciousServerTest, RefusesARollbackAfterTheClientRestarts) {
  const std::string dir = ledger::testonly::FreshDir("trust");
  auto old_note = server_->fixture().ledger().LatestCheckpoint();
  ASSERT_TRUE(old_note.ok());
  TrustingClient(4, dir).reset();
  auto restarted = NewClient(dir);
  server_->set_rollback_note(*old_note);
  server_->set_misbehaviour(Misbehaviour::kRollback);
  EXPECT_DATA_LOSS(restarted->LatestCheckpoint().status(),
                   "server rolled back");
}

TEST_F(MaliciousServerTest, DetectsAForkAtTheTrustedSize) {
  auto client = TrustingClient(4);
  const uint64_t size = client->trusted()->fields.size;
  ASSERT_TRUE(server_->BuildFork(size - 1, 1).ok());
  server_->set_misbehaviour(Misbehaviour::kForkedTree);
  EXPECT_DATA_LOSS(
      client->LatestCheckpoint().status(),
      "server forked: at size " + std::to_string(size) + " it now says root ");
}

TEST_F(MaliciousServerTest, DetectsAForkThatGrewPastTheTrustedSize) {
  auto client = TrustingClient(4);
  const uint64_t size = client->trusted()->fields.size;
  const auto trusted_root = client->trusted()->fields.root;
  ASSERT_TRUE(server_->BuildFork(size - 2, 5).ok());
  server_->set_misbehaviour(Misbehaviour::kForkedTree);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(),
                   "server forked or sent a bad proof: consistency proof "
                   "from size " +
                       std::to_string(size));
  EXPECT_EQ(client->trusted()->fields.root, trusted_root);
}

TEST_F(MaliciousServerTest, DetectsAForkInAProofReceipt) {
  auto client = TrustingClient(4);
  const uint64_t size = client->trusted()->fields.size;
  ASSERT_TRUE(server_->BuildFork(size - 1, 3).ok());
  server_->set_misbehaviour(Misbehaviour::kForkedTree);
  EXPECT_DATA_LOSS(client->GetProofReceipt({size - 1}, false).status(),
                   "server forked");
}

TEST_F(MaliciousServerTest, RefusesABadConsistencyProof) {
  auto client = TrustingClient(3);
  ASSERT_TRUE(server_->AppendAndPublish(4).ok());
  server_->set_misbehaviour(Misbehaviour::kBadConsistencyProof);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(), "does not verify");
  server_->set_misbehaviour(Misbehaviour::kNone);
  EXPECT_TRUE(client->LatestCheckpoint().ok());
}

TEST_F(MaliciousServerTest, RefusesABadInclusionProofInAReceipt) {
  auto client = NewClient();
  auto entries = SubmitEntries(*client, 3);
  ASSERT_EQ(entries.size(), 3u);
  server_->set_misbehaviour(Misbehaviour::kBadInclusionProof);
  const uint64_t index = entries[1].receipt.leaf_index();
  EXPECT_DATA_LOSS(client->ConfirmIncluded(entries, false),
                   "inclusion proof for leaf " +
                       std::to_string(entries[0].receipt.leaf_index()) +
                       " does not match checkpoint root at size ");
  EXPECT_DATA_LOSS(client->InclusionProofByIndex(index).status(),
                   "inclusion proof for leaf " + std::to_string(index));
}

TEST_F(MaliciousServerTest, RefusesTheStateOfAnotherKey) {
  auto client = NewClient();
  server_->set_misbehaviour(Misbehaviour::kAnotherKeyState);
  const auto& id = server_->collector().key_id().bytes();
  EXPECT_DATA_LOSS(client
                       ->OwnKeyState(std::string(
                           reinterpret_cast<const char*>(id.data()), id.size()))
                       .status(),
                   "Ingest.GetOwnKeyState: asked for one key");
}

TEST_F(MaliciousServerTest, RefusesATamperedLeaf) {
  auto client = TrustingClient(3);
  server_->set_misbehaviour(Misbehaviour::kTamperedLeaf);
  EXPECT_DATA_LOSS(client->GetVerifiedEntries(0, 10).status(),
                   "inclusion proof for leaf 0 does not match");
}

TEST_F(MaliciousServerTest, RefusesAStoredCheckpointThatWasTamperedWith) {
  const std::string dir = ledger::testonly::FreshDir("trust");
  TrustingClient(2, dir).reset();
  auto store = api::client::TrustedCheckpointStore::Open(dir);
  ASSERT_TRUE(store.ok());
  auto saved = (*store)->Load(server_->fixture().ledger().origin());
  ASSERT_TRUE(saved.ok() && saved->has_value());
  api::client::TrustedCheckpoint edited = **saved;
  edited.size += 1;
  ASSERT_TRUE((*store)->Save(edited).ok());
  api::client::LedgerClientOptions options;
  options.trusted_store_dir = dir;
  auto client = api::client::LedgerClient::Create(
      server_->NewChannel(), server_->verifier_key(), options);
  EXPECT_DATA_LOSS(client.status(), "does not match its signed note");
}

}  // namespace
}  // namespace client_test
