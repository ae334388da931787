#include "api/client/log_verifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/proof_plan.h"

namespace api::client {
namespace {

using ledger::CheckpointFields;
using ledger::merkle::Hash;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "test.example/log";

class LogVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = ledger::crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    auto signer = ledger::note::NoteSigner::Create(kOrigin, std::move(*key));
    ASSERT_TRUE(signer.ok());
    signer_ = std::move(*signer);
    auto verifier = LogVerifier::Create(signer_->VerifierKey());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_.emplace(*verifier);
    for (int i = 0; i < 10; ++i) {
      tree_.Append(ledger::merkle::HashLeaf("leaf " + std::to_string(i)));
    }
  }

  CheckpointFields Fields(uint64_t size) {
    return CheckpointFields{kOrigin, size, *tree_.Root(size)};
  }

  std::vector<Hash> Proof(absl::StatusOr<ledger::merkle::ProofPlan> plan) {
    EXPECT_TRUE(plan.ok());
    auto nodes = tree_.ReadNodes(plan->node_ids());
    EXPECT_TRUE(nodes.ok());
    return *plan->Rehash(*nodes);
  }

  std::unique_ptr<ledger::note::NoteSigner> signer_;
  std::optional<LogVerifier> verifier_;
  ledger::merkle::InMemoryTree tree_;
};

TEST_F(LogVerifierTest, AcceptsACheckpointSignedByTheLogKey) {
  auto note = ledger::SignCheckpoint(Fields(7), *signer_);
  ASSERT_TRUE(note.ok());
  auto checkpoint = verifier_->VerifyCheckpoint(*note);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->fields.size, 7u);
  EXPECT_EQ(checkpoint->fields.root, Fields(7).root);
  EXPECT_EQ(checkpoint->note, *note);
}

TEST_F(LogVerifierTest, RefusesAnAlteredSignature) {
  auto note = ledger::SignCheckpoint(Fields(7), *signer_);
  ASSERT_TRUE(note.ok());
  std::string bad = *note;
  bad[bad.size() - 5] = bad[bad.size() - 5] == 'A' ? 'B' : 'A';
  auto checkpoint = verifier_->VerifyCheckpoint(bad);
  EXPECT_EQ(checkpoint.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(checkpoint.status().message()),
              HasSubstr("checkpoint signature does not verify for key"));
}

TEST_F(LogVerifierTest, RefusesAnAlteredBody) {
  auto note = ledger::SignCheckpoint(Fields(7), *signer_);
  ASSERT_TRUE(note.ok());
  std::string bad = *note;
  bad.replace(bad.find("\n7\n"), 3, "\n8\n");
  EXPECT_EQ(verifier_->VerifyCheckpoint(bad).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(LogVerifierTest, ChecksInclusionWithReasons) {
  const CheckpointFields checkpoint = Fields(9);
  const auto proof = Proof(ledger::merkle::InclusionPlan(4, 9));
  const Hash leaf = ledger::merkle::HashLeaf("leaf 4");
  EXPECT_TRUE(verifier_->VerifyInclusion(4, leaf, proof, checkpoint).ok());
  absl::Status wrong = verifier_->VerifyInclusion(
      4, ledger::merkle::HashLeaf("leaf 5"), proof, checkpoint);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(wrong.message()),
              HasSubstr("inclusion proof for leaf 4 does not match checkpoint "
                        "root at size 9"));
}

TEST_F(LogVerifierTest, ChecksConsistencyAndNamesForks) {
  const auto proof = Proof(ledger::merkle::ConsistencyPlan(3, 10));
  EXPECT_TRUE(verifier_->VerifyConsistency(Fields(3), Fields(10), proof).ok());
  CheckpointFields forked = Fields(3);
  forked.root[0] ^= 1;
  EXPECT_THAT(
      std::string(
          verifier_->VerifyConsistency(forked, Fields(10), proof).message()),
      HasSubstr("consistency proof from size 3"));
  absl::Status same_size = verifier_->VerifyConsistency(Fields(3), forked, {});
  EXPECT_EQ(same_size.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(same_size.message()),
              HasSubstr("server forked: at size 3 it now says root"));
}

TEST(ProofHashesTest, RefusesHashesOfTheWrongLength) {
  auto hashes = ProofHashes({std::string(32, 'a'), std::string(31, 'b')});
  EXPECT_EQ(hashes.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(hashes.status().message()),
              HasSubstr("proof hash 1 is 31 bytes, want 32"));
}

}  // namespace
}  // namespace api::client
