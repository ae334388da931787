#include "ledger/witness_policy/quorum.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/crypto/sha256.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"

namespace ledger::witness_policy {
namespace {

constexpr absl::string_view kOrigin = "factory-a.example.eu/ledger";

std::unique_ptr<crypto::SigningKey> Key(int n) {
  return *crypto::SigningKey::FromSeed(std::string(32, static_cast<char>(n)));
}

class QuorumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = *note::NoteSigner::Create(kOrigin, Key(1));
    for (int i = 0; i < 6; ++i) {
      witnesses_.push_back(*note::Cosigner::Create(
          absl::StrCat("w", i, ".example"), Key(10 + i)));
    }
    // The AI Office runs X1..X3 (2 of 3); factories Y1..Y3 (any).
    const std::string text =
        absl::StrCat("log ", log_->VerifierKey(), "\n",                  //
                     "witness X1 ", witnesses_[0]->VerifierKey(), "\n",  //
                     "witness X2 ", witnesses_[1]->VerifierKey(), "\n",  //
                     "witness X3 ", witnesses_[2]->VerifierKey(), "\n",  //
                     "group X 2 X1 X2 X3\n",                             //
                     "witness Y1 ", witnesses_[3]->VerifierKey(), "\n",  //
                     "witness Y2 ", witnesses_[4]->VerifierKey(), "\n",  //
                     "witness Y3 ", witnesses_[5]->VerifierKey(), "\n",  //
                     "group Y any Y1 Y2 Y3\n", "group XY all X Y\nquorum XY\n");
    policy_ = *ParsePolicy(text);
    note::Checkpoint c;
    c.origin = std::string(kOrigin);
    c.size = 42;
    c.root = crypto::Sha256({"root"});
    body_ = note::FormatCheckpointBody(c);
  }

  // The log-signed note with cosignatures by witnesses `which`.
  std::string Note(const std::vector<int>& which) {
    std::string note = *log_->Sign(body_);
    for (int i : which) {
      note += *witnesses_[i]->CosignatureLine(body_, 1700000000 + i);
    }
    return note;
  }

  std::unique_ptr<note::NoteSigner> log_;
  std::vector<std::unique_ptr<note::Cosigner>> witnesses_;
  Policy policy_;
  std::string body_;
};

TEST_F(QuorumTest, MetWithTwoOfXAndOneOfY) {
  absl::StatusOr<CheckpointCosignatures> r =
      VerifyCheckpointWithPolicy(Note({0, 2, 4}), policy_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->quorum_met);
  EXPECT_EQ(r->checkpoint.size, 42u);
  EXPECT_EQ(r->log, kOrigin);
  ASSERT_EQ(r->cosigned.size(), 3u);
  EXPECT_EQ(r->cosigned[0].witness, "X1");
  EXPECT_EQ(r->cosigned[0].timestamp, 1700000000u);
  EXPECT_EQ(r->cosigned[2].witness, "Y2");
  EXPECT_TRUE(r->missing.empty());
}

TEST_F(QuorumTest, NotMetNamesTheMissingWitnesses) {
  absl::StatusOr<CheckpointCosignatures> r =
      VerifyCheckpointWithPolicy(Note({0, 3}), policy_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "checkpoint 42 of factory-a.example.eu/ledger: quorum XY not met; "
            "cosigned by: X1, Y1; missing: X2, X3, Y2, Y3");
  absl::StatusOr<CheckpointCosignatures> c =
      CheckCosignatures(Note({0, 3}), policy_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->quorum_met);
  // No Y at all: the group Y fails even with all of X.
  EXPECT_FALSE(VerifyCheckpointWithPolicy(Note({0, 1, 2}), policy_).ok());
}

TEST_F(QuorumTest, UnknownCosignersAreIgnoredAndBadOnesDoNotCount) {
  auto stranger = *note::Cosigner::Create("stranger.example", Key(99));
  std::string note = Note({0, 4});
  note += *stranger->CosignatureLine(body_, 1);
  // X2's line over another body: present, but it does not count.
  note += *witnesses_[1]->CosignatureLine("other\n1\nAAAA\n", 5);
  absl::StatusOr<CheckpointCosignatures> r = CheckCosignatures(note, policy_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->quorum_met);
  EXPECT_EQ(r->invalid, std::vector<std::string>{"X2"});
  absl::Status s = VerifyCheckpointWithPolicy(note, policy_).status();
  EXPECT_NE(s.message().find("invalid cosignatures from: X2"),
            absl::string_view::npos)
      << s;
  // A witness listed twice in the note counts once.
  note += *witnesses_[0]->CosignatureLine(body_, 7);
  EXPECT_FALSE(VerifyCheckpointWithPolicy(note, policy_).ok());
}

TEST_F(QuorumTest, RefusesALogNotInThePolicy) {
  auto other = *note::NoteSigner::Create(kOrigin, Key(2));
  std::string note = *other->Sign(body_);
  note += *witnesses_[0]->CosignatureLine(body_, 1);
  EXPECT_EQ(CheckCosignatures(note, policy_).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(QuorumTest, RefusesAnOriginThatIsNotTheLogName) {
  note::Checkpoint c = *note::ParseCheckpointBody(body_);
  c.origin = "elsewhere.example/ledger";
  const std::string note = *log_->Sign(note::FormatCheckpointBody(c));
  absl::Status s = CheckCosignatures(note, policy_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("not the name of the log key"),
            absl::string_view::npos);
}

TEST_F(QuorumTest, QuorumNoneNeedsOnlyTheLog) {
  Policy none = policy_;
  none.quorum = "none";
  EXPECT_TRUE(VerifyCheckpointWithPolicy(Note({}), none).ok());
  EXPECT_TRUE(QuorumSatisfied(none, {}));
  EXPECT_TRUE(MissingWitnesses(none, {}).empty());
}

TEST_F(QuorumTest, QuorumArithmetic) {
  EXPECT_TRUE(QuorumSatisfied(policy_, {"X1", "X3", "Y3"}));
  EXPECT_FALSE(QuorumSatisfied(policy_, {"X1", "Y1", "Y2", "Y3"}));
  EXPECT_EQ(MissingWitnesses(policy_, {"X1", "Y1", "Y2", "Y3"}),
            (std::vector<std::string>{"X2", "X3"}));
}

}  // namespace
}  // namespace ledger::witness_policy
