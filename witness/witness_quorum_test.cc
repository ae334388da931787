// Two witnesses over loopback HTTP, a log asking them for cosignatures (old
// size learnt from 409, as a log does when it does not know it), and a client
// enforcing a 2-of-2 tlog-policy: the honest history reaches the quorum; a
// fork of it is refused by both witnesses (evidence kept) and by the client;
// with one witness down the quorum fails naming it, and catches up after.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "ledger/witness_policy/policy.h"
#include "ledger/witness_policy/quorum.h"
#include "ledger/witnessing/add_checkpoint_response.h"
#include "witness/testonly/fake_log.h"
#include "witness/testonly/http_client.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_http_server.h"
#include "witness/witness_store.h"

namespace witness {
namespace {

using ledger::witnessing::AddCheckpointOutcome;
using ledger::witnessing::AddCosignatures;
using ledger::witnessing::InterpretAddCheckpointResponse;
using testonly::FakeLog;
using testonly::HttpClient;

constexpr absl::string_view kOrigin = "factory-a.example.eu/ledger";

struct RunningWitness {
  std::string dir;
  std::unique_ptr<WitnessStore> store;
  std::unique_ptr<Witness> witness;
  std::unique_ptr<WitnessHttpServer> server;
  std::unique_ptr<ledger::note::CosignatureVerifier> verifier;
};

class WitnessQuorumTest : public ::testing::Test {
 protected:
  WitnessQuorumTest()
      : log_(kOrigin, 1, "honest"),
        fork_(kOrigin, 1, "fork"),
        clock_(absl::FromUnixSeconds(1800000000)) {
    log_.GrowTo(1000);
    fork_.GrowTo(1000);
  }

  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      witnesses_.emplace_back();
      witnesses_[i].dir = absl::StrCat(
          std::getenv("TEST_TMPDIR"), "/",
          ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-w",
          i);
      Start(i);
    }
    const std::string text =
        absl::StrCat(log_.LogLine(),  //
                     "witness w1 ", witnesses_[0].verifier->VerifierKey(), "\n",
                     "witness w2 ", witnesses_[1].verifier->VerifierKey(), "\n",
                     "group both all w1 w2\nquorum both\n");
    policy_ = *ledger::witness_policy::ParsePolicy(text);
  }

  void Start(int i) {
    RunningWitness& w = witnesses_[i];
    w.store = *WitnessStore::Open(w.dir);
    auto cosigner = *ledger::note::Cosigner::Create(
        absl::StrCat("w", i + 1, ".office.example.eu"),
        *ledger::crypto::SigningKey::FromSeed(
            std::string(32, static_cast<char>(0x50 + i))));
    w.verifier = std::make_unique<ledger::note::CosignatureVerifier>(
        *ledger::note::CosignatureVerifier::FromVerifierKey(
            cosigner->VerifierKey()));
    w.witness = *Witness::Create(std::move(cosigner),
                                 *TrustedLogs::Parse(log_.LogLine()),
                                 w.store.get(), &clock_);
    w.server = *WitnessHttpServer::Start(w.witness.get(), {});
  }

  void StopWitness(int i) {
    witnesses_[i].server.reset();
    witnesses_[i].witness.reset();
    witnesses_[i].store.reset();
  }

  // What a log does for one witness: ask from the size it believes the
  // witness has (0 when unknown), retry once from the size a 409 names.
  // Returns the cosignature line, or "" when refused or unreachable.
  std::string AskForCosignature(const FakeLog& log, int i, uint64_t size) {
    RunningWitness& w = witnesses_[i];
    if (w.server == nullptr) return "";
    HttpClient client(w.server->port());
    uint64_t old = known_[i];
    const std::string body =
        ledger::note::SplitSignedNote(log.Checkpoint(size))->text;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (old > size) return "";
      auto reply =
          client.Request("POST", "/add-checkpoint", log.Request(old, size));
      if (!reply.ok()) return "";
      auto outcome = InterpretAddCheckpointResponse(
          reply->status, reply->content_type, reply->body, body, *w.verifier);
      EXPECT_TRUE(outcome.ok()) << outcome.status();
      if (!outcome.ok()) return "";
      if (outcome->kind == AddCheckpointOutcome::Kind::kCosigned) {
        known_[i] = size;
        return outcome->cosignature;
      }
      if (outcome->kind != AddCheckpointOutcome::Kind::kConflict) return "";
      old = outcome->witness_size;
    }
    return "";
  }

  // The checkpoint of `size` with every cosignature the log could gather.
  std::string Cosigned(const FakeLog& log, uint64_t size) {
    std::vector<std::string> lines;
    for (int i = 0; i < 2; ++i) {
      const std::string line = AskForCosignature(log, i, size);
      if (!line.empty()) lines.push_back(line);
    }
    return AddCosignatures(log.Checkpoint(size), lines);
  }

  FakeLog log_, fork_;
  common::FakeClock clock_;
  std::vector<RunningWitness> witnesses_;
  uint64_t known_[2] = {0, 0};
  ledger::witness_policy::Policy policy_;
};

TEST_F(WitnessQuorumTest, HonestHistoryMeetsTheQuorum) {
  for (uint64_t size : {10, 200, 999}) {
    auto r = ledger::witness_policy::VerifyCheckpointWithPolicy(
        Cosigned(log_, size), policy_);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->checkpoint.size, size);
    EXPECT_EQ(r->cosigned.size(), 2u);
    EXPECT_EQ(r->cosigned[0].timestamp, 1800000000u);
  }
}

TEST_F(WitnessQuorumTest, AForkIsRefusedByBothWitnessesAndTheClient) {
  ASSERT_TRUE(ledger::witness_policy::VerifyCheckpointWithPolicy(
                  Cosigned(log_, 300), policy_)
                  .ok());
  // The log shows another party a different tree of the same size, then a
  // larger one grown from it: no witness cosigns either.
  for (uint64_t size : {300, 600}) {
    const std::string forked = Cosigned(fork_, size);
    EXPECT_EQ(forked, fork_.Checkpoint(size)) << "a witness cosigned the fork";
    auto r =
        ledger::witness_policy::VerifyCheckpointWithPolicy(forked, policy_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(r.status().message().find("missing: w1, w2"), std::string::npos)
        << r.status();
  }
  for (RunningWitness& w : witnesses_) {
    const std::string evidence = w.witness->EvidenceRecords("").body;
    EXPECT_NE(evidence.find("reason size 300: root"), std::string::npos);
    EXPECT_NE(evidence.find("reason size 600 is not consistent"),
              std::string::npos)
        << evidence;
  }
}

TEST_F(WitnessQuorumTest, OneWitnessDownFailsClearlyThenCatchesUp) {
  ASSERT_TRUE(ledger::witness_policy::VerifyCheckpointWithPolicy(
                  Cosigned(log_, 100), policy_)
                  .ok());
  StopWitness(1);
  auto r = ledger::witness_policy::VerifyCheckpointWithPolicy(
      Cosigned(log_, 400), policy_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cosigned by: w1; missing: w2"),
            std::string::npos)
      << r.status();
  Start(1);
  // The log still believes w2 is at 100, which is right: it catches up.
  auto back = ledger::witness_policy::VerifyCheckpointWithPolicy(
      Cosigned(log_, 700), policy_);
  ASSERT_TRUE(back.ok()) << back.status();
  // A log that forgot what w2 cosigned learns it from the 409.
  known_[1] = 0;
  EXPECT_TRUE(ledger::witness_policy::VerifyCheckpointWithPolicy(
                  Cosigned(log_, 800), policy_)
                  .ok());
}

}  // namespace
}  // namespace witness
