// The verifying client across a log-key rotation, over gRPC on loopback: it
// follows an honest rotation (and remembers the new key across restarts) and
// refuses a key the log never announced or a forged rotation, keeping its
// trusted state.
#include <fstream>
#include <sstream>

#include "api/client/ledger_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger.h"
#include "tests/client/client_test_base.h"

namespace client_test {
namespace {

class RotationTest : public ClientTestBase {
 protected:
  // Rotates the served ledger's log key in place (what `ledgerctl
  // rotate-log-key` does offline) and returns the new verifier key.
  std::string RotateLogKey() {
    auto& f = server_->fixture();
    const std::string path =
        f.dir() + "/keys/next" + std::to_string(++rotations_) + ".key";
    auto key = ledger::crypto::SigningKey::Generate();
    EXPECT_TRUE(ledger::crypto::WriteSecretKeyFile(path, **key).ok());
    const ledger::crypto::PublicKey pub = (*key)->public_key();
    aifl::ledger::v1::KeyEvent event;
    event.mutable_log_key()->set_public_key(std::string(pub.bytes()));
    event.mutable_log_key()->set_origin(f.ledger().origin());
    f.admin().set_next_sequence(
        f.ledger().FindKey(f.admin().key_id())->next_sequence);
    auto envelope =
        f.admin().SignNext(ledger::kKeyEventType, event.SerializeAsString());
    auto handover = f.ledger().RotateLogKey(*envelope, std::move(*key), path);
    EXPECT_TRUE(handover.ok()) << handover.status();
    return ledger::LogVerifierKey(f.ledger().origin(), pub);
  }

  int rotations_ = 0;

  std::string TempDir(const std::string& name) {
    const char* base = std::getenv("TEST_TMPDIR");
    return std::string(base != nullptr ? base : "/tmp") + "/" + name;
  }
};

TEST_F(RotationTest, FollowsAnHonestRotationAndRemembersTheNewKey) {
  const std::string store = TempDir("honest_rotation");
  const std::string old_vkey = server_->verifier_key();
  auto client = NewClient(store);
  auto before = client->LatestCheckpoint();
  ASSERT_TRUE(before.ok()) << before.status();
  const std::string new_vkey = RotateLogKey();
  ASSERT_TRUE(server_->AppendAndPublish(3).ok());

  auto after = client->LatestCheckpoint();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->fields.size, server_->fixture().ledger().Size());
  EXPECT_EQ(client->verifier().verifier_key(), new_vkey);
  auto status = client->GetStatus();
  EXPECT_TRUE(status.ok()) << status.status();

  // The trusted file now names the new key; a restarted client configured
  // with the old key starts from it.
  std::ifstream in(store + "/test.example%2Fledger.checkpoint");
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_THAT(content.str(),
              ::testing::StartsWith("aifl-trusted-checkpoint-v2\n"));
  EXPECT_THAT(content.str(), ::testing::HasSubstr(new_vkey + "\n"));
  ASSERT_EQ(server_->verifier_key(), new_vkey);
  auto restarted = api::client::LedgerClient::Create(server_->NewChannel(),
                                                     old_vkey, {store});
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ((*restarted)->verifier().verifier_key(), new_vkey);
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  auto later = (*restarted)->LatestCheckpoint();
  ASSERT_TRUE(later.ok()) << later.status();
  // Proofs still verify across the rotation.
  auto leaf = (*restarted)->InclusionProofByIndex(0);
  EXPECT_TRUE(leaf.ok()) << leaf.status();
}

TEST_F(RotationTest, FollowsTwoRotationsInOneCheck) {
  auto client = NewClient();
  ASSERT_TRUE(client->LatestCheckpoint().ok());
  RotateLogKey();
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  const std::string third = RotateLogKey();
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  auto latest = client->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(client->verifier().verifier_key(), third);
  EXPECT_EQ(latest->fields.size, server_->fixture().ledger().Size());
}

TEST_F(RotationTest, RefusesACheckpointByAKeyTheLogNeverAnnounced) {
  auto client = NewClient();
  auto trusted = client->LatestCheckpoint();
  ASSERT_TRUE(trusted.ok());
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  server_->set_misbehaviour(Misbehaviour::kWrongSignature);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(),
                   "a key the log never announced");
  EXPECT_EQ(client->trusted()->fields.size, trusted->fields.size);
  EXPECT_EQ(client->verifier().verifier_key(), server_->verifier_key());
}

TEST_F(RotationTest, RefusesAHandoverThePreviousKeyDidNotSign) {
  auto client = NewClient();
  auto trusted = client->LatestCheckpoint();
  ASSERT_TRUE(trusted.ok());
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  server_->set_misbehaviour(Misbehaviour::kForgedRotation);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(),
                   "not signed by the previous log key");
  EXPECT_EQ(client->trusted()->fields.size, trusted->fields.size);
  EXPECT_EQ(client->verifier().verifier_key(), server_->verifier_key());
}

TEST_F(RotationTest, RefusesARotationWhoseLogKeyIsNotInTheTree) {
  auto client = NewClient();
  auto trusted = client->LatestCheckpoint();
  ASSERT_TRUE(trusted.ok());
  ASSERT_TRUE(server_->AppendAndPublish(1).ok());
  server_->set_misbehaviour(Misbehaviour::kRotationNotIncluded);
  EXPECT_DATA_LOSS(client->LatestCheckpoint().status(), "inclusion proof");
  EXPECT_EQ(client->trusted()->fields.size, trusted->fields.size);
  EXPECT_EQ(client->verifier().verifier_key(), server_->verifier_key());
}

}  // namespace
}  // namespace client_test
