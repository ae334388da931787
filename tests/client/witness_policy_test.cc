// LedgerClient (and so GrpcLogReader, ledgerctl --server and the collector's
// shipper) with a tlog-policy: checkpoints served with the cosignatures real
// witnesses (witness/, over loopback HTTP) returned for them. Quorum met →
// accepted and kept with its cosignatures; one missing → refused naming it;
// a stranger's cosignature ignored; a changed byte not counted; 2-of-3.
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/client/witness_quorum_check.h"
#include "collector/spool/grpc_shipper.h"
#include "common/clock.h"
#include "common/read_file.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/hash.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "ledger/witness_policy/policy.h"
#include "tests/client/client_test_base.h"
#include "witness/testonly/http_client.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_http_server.h"
#include "witness/witness_store.h"

namespace client_test {
namespace {

using api::client::LedgerClient;
using api::client::WitnessPolicy;

struct RunningWitness {
  std::unique_ptr<witness::WitnessStore> store;
  std::unique_ptr<witness::Witness> witness;
  std::unique_ptr<witness::WitnessHttpServer> server;
  std::string vkey;
  uint64_t known = 0;  // the size it last cosigned, as the log tracks it
};

// Flips one bit of the Ed25519 signature in a cosignature line.
std::string ChangeOneByte(const std::string& line) {
  auto split = ledger::note::SplitSignedNote(absl::StrCat("x\n\n", line));
  EXPECT_TRUE(split.ok()) << split.status();
  std::string sig = split->signatures[0].signature;
  sig.back() ^= 1;
  std::string raw(4, '\0');
  const uint32_t id = split->signatures[0].key_id;
  for (int i = 0; i < 4; ++i) raw[i] = static_cast<char>(id >> (24 - 8 * i));
  return absl::StrCat("\xe2\x80\x94 ", split->signatures[0].name, " ",
                      absl::Base64Escape(raw + sig), "\n");
}

class WitnessPolicyTest : public ClientTestBase {
 protected:
  void SetUp() override {
    ClientTestBase::SetUp();
    ASSERT_TRUE(server_->AppendAndPublish(5).ok());
    const std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (int i = 0; i < 4; ++i) {  // w1..w3 in policies; w4 a stranger
      RunningWitness w;
      w.store = *witness::WitnessStore::Open(
          absl::StrCat(std::getenv("TEST_TMPDIR"), "/", test, "-w", i));
      auto cosigner = *ledger::note::Cosigner::Create(
          absl::StrCat("w", i + 1, ".witness.example"),
          *ledger::crypto::SigningKey::FromSeed(
              std::string(32, static_cast<char>(0x60 + i))));
      w.vkey = cosigner->VerifierKey();
      w.witness =
          *witness::Witness::Create(std::move(cosigner),
                                    *witness::TrustedLogs::Parse(absl::StrCat(
                                        "log ", server_->verifier_key(), "\n")),
                                    w.store.get(), &clock_);
      w.server = *witness::WitnessHttpServer::Start(w.witness.get(), {});
      witnesses_.push_back(std::move(w));
    }
    server_->set_cosign([this](const std::string& note) {
      std::string out = note;
      for (int i : Asked()) out += Cosign(i, note);
      if (bad_ >= 0) out += ChangeOneByte(Cosign(bad_, note));
      return out;
    });
  }

  void TearDown() override { server_->set_cosign(nullptr); }

  std::set<int> Asked() {
    absl::MutexLock lock(&mu_);
    return asked_;
  }
  void Ask(std::set<int> witnesses, int bad = -1) {
    absl::MutexLock lock(&mu_);
    asked_ = std::move(witnesses);
    bad_ = bad;
  }

  // POST add-checkpoint to witness i (old = what it last cosigned, with the
  // consistency proof from there); returns its cosignature line.
  std::string Cosign(int i, const std::string& note) {
    RunningWitness& w = witnesses_[i];
    auto body = ledger::note::SplitSignedNote(note);
    auto checkpoint = ledger::note::ParseCheckpointBody(body->text);
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
    std::string request = absl::StrCat("old ", w.known, "\n");
    if (w.known != 0 && w.known < checkpoint->size) {
      auto proof = server_->fixture().ledger().ConsistencyProof(
          w.known, checkpoint->size);
      EXPECT_TRUE(proof.ok()) << proof.status();
      for (const auto& hash : *proof) {
        absl::StrAppend(&request, ledger::merkle::HashToBase64(hash), "\n");
      }
    }
    absl::StrAppend(&request, "\n", note);
    witness::testonly::HttpClient http(w.server->port());
    auto reply = http.Request("POST", "/add-checkpoint", request);
    EXPECT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->status, 200) << reply->body;
    if (!reply.ok() || reply->status != 200) return "";
    w.known = checkpoint->size;
    return reply->body;
  }

  std::shared_ptr<const WitnessPolicy> Policy(const std::string& lines) {
    std::string text;
    for (int i = 0; i < 3; ++i) {
      absl::StrAppend(&text, "witness w", i + 1, " ", witnesses_[i].vkey, "\n");
    }
    auto policy = ledger::witness_policy::ParsePolicy(text + lines);
    EXPECT_TRUE(policy.ok()) << policy.status();
    return std::make_shared<const WitnessPolicy>(*policy);
  }

  std::unique_ptr<LedgerClient> PolicyClient(
      std::shared_ptr<const WitnessPolicy> policy,
      const std::string& store_dir = "") {
    api::client::LedgerClientOptions options;
    options.trusted_store_dir = store_dir;
    options.rpc_timeout = absl::Seconds(10);
    options.witness_policy = std::move(policy);
    auto client = LedgerClient::Create(server_->NewChannel(),
                                       server_->verifier_key(), options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::string StoreDir(const std::string& name) {
    return absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-",
        name);
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1800000000)};
  std::vector<RunningWitness> witnesses_;
  absl::Mutex mu_;
  std::set<int> asked_ ABSL_GUARDED_BY(mu_);
  int bad_ ABSL_GUARDED_BY(mu_) = -1;
};

constexpr absl::string_view kBoth = "group both all w1 w2\nquorum both\n";

TEST_F(WitnessPolicyTest, QuorumMetIsAcceptedAndStoredWithItsCosignatures) {
  Ask({0, 1});
  const std::string dir = StoreDir("trust");
  auto client = PolicyClient(Policy(std::string(kBoth)), dir);
  auto latest = client->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_NE(latest->note.find("\xe2\x80\x94 w2.witness.example "),
            std::string::npos);
  // Receipts too (the collector's durability check).
  auto entries = SubmitEntries(*client, 3);
  ASSERT_TRUE(server_->fixture().ledger().PublishCheckpoint().ok());
  absl::Status confirmed = client->ConfirmIncluded(entries, /*wait=*/false);
  ASSERT_TRUE(confirmed.ok()) << confirmed;
  // The store keeps the note as received, cosignatures included; a new
  // client loads it.
  const std::string note = client->trusted()->note;
  auto file = common::ReadWholeFile(
      api::client::TrustedCheckpointStore::Open(dir).value()->PathFor(
          client->verifier().origin()));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(absl::EndsWith(*file, note));
  EXPECT_NE(note.find("\xe2\x80\x94 w1.witness.example "), std::string::npos);
  auto again = PolicyClient(Policy(std::string(kBoth)), dir);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->trusted()->note, note);
}

TEST_F(WitnessPolicyTest, OneCosignatureMissingIsRefusedNamingTheWitness) {
  Ask({0});
  auto client = PolicyClient(Policy(std::string(kBoth)));
  auto latest = client->LatestCheckpoint();
  ASSERT_EQ(latest.status().code(), absl::StatusCode::kFailedPrecondition)
      << latest.status();
  EXPECT_NE(latest.status().message().find(
                "quorum both not met; cosigned by: w1; missing: w2"),
            std::string::npos)
      << latest.status();
  EXPECT_FALSE(client->trusted().has_value());
  // A shipper's records do not count as durably logged either.
  auto entries = SubmitEntries(*client, 1);
  absl::Status confirmed = client->ConfirmIncluded(entries, /*wait=*/false);
  EXPECT_NE(confirmed.message().find("missing: w2"), std::string::npos)
      << confirmed;
  // The same log without a policy: accepted.
  EXPECT_TRUE(NewClient()->LatestCheckpoint().ok());
}

TEST_F(WitnessPolicyTest, AStrangersCosignatureIsIgnored) {
  Ask({0, 3, 1});
  EXPECT_TRUE(
      PolicyClient(Policy(std::string(kBoth)))->LatestCheckpoint().ok());
  Ask({0, 3});
  auto latest = PolicyClient(Policy(std::string(kBoth)))->LatestCheckpoint();
  EXPECT_NE(latest.status().message().find("cosigned by: w1; missing: w2"),
            std::string::npos)
      << latest.status();
}

TEST_F(WitnessPolicyTest, ACosignatureWithAChangedByteIsNotCounted) {
  Ask({0}, /*bad=*/1);
  auto latest = PolicyClient(Policy(std::string(kBoth)))->LatestCheckpoint();
  ASSERT_EQ(latest.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(latest.status().message().find(
                "missing: w2; invalid cosignatures from: w2"),
            std::string::npos)
      << latest.status();
}

TEST_F(WitnessPolicyTest, TwoOfThree) {
  const std::string group = "group office 2 w1 w2 w3\nquorum office\n";
  for (std::set<int> pair :
       {std::set<int>{0, 2}, std::set<int>{1, 2}, std::set<int>{0, 1}}) {
    Ask(pair);
    auto latest = PolicyClient(Policy(group))->LatestCheckpoint();
    EXPECT_TRUE(latest.ok()) << latest.status();
  }
  Ask({2});
  auto latest = PolicyClient(Policy(group))->LatestCheckpoint();
  EXPECT_NE(latest.status().message().find(
                "quorum office not met; cosigned by: w3; missing: w1, w2"),
            std::string::npos)
      << latest.status();
}

TEST_F(WitnessPolicyTest, APrefixOfAWitnessedTreeNeedsNoCosignatures) {
  Ask({0, 1});
  auto client = PolicyClient(Policy(std::string(kBoth)));
  auto latest = client->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  ASSERT_TRUE(server_->AppendAndPublish(2).ok());
  Ask({});
  // The older checkpoint is proven a prefix of the witnessed one...
  auto older = client->CheckpointAt(latest->fields.size);
  EXPECT_TRUE(older.ok()) << older.status();
  // ...but the newer, unwitnessed one is refused and not trusted.
  auto newer = client->LatestCheckpoint();
  EXPECT_EQ(newer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client->trusted()->fields.size, latest->fields.size);
}

// The collector's shipper: a record counts as durably logged (its receipt
// verifies, so the spool may delete it) only once a checkpoint the quorum
// cosigned includes it.
TEST_F(WitnessPolicyTest, TheShipperWaitsForTheQuorum) {
  Ask({0});
  auto client = PolicyClient(Policy(std::string(kBoth)));
  collector::spool::GrpcLedgerShipper shipper(client.get());
  const std::string envelope = server_->SignEnvelope("interval 1");
  auto receipts = shipper.Ship({envelope});
  ASSERT_TRUE(receipts.ok()) << receipts.status();
  ASSERT_TRUE((*receipts)[0].ok()) << (*receipts)[0].status();
  ASSERT_TRUE(server_->fixture().ledger().PublishCheckpoint().ok());
  absl::Status verified = shipper.Verify(envelope, *(*receipts)[0]);
  EXPECT_EQ(verified.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(verified.message().find("1 record(s) not yet durably logged, kept "
                                    "in the spool: witness policy: "),
            std::string::npos)
      << verified;
  EXPECT_NE(verified.message().find("missing: w2"), std::string::npos)
      << verified;
  Ask({0, 1});
  verified = shipper.Verify(envelope, *(*receipts)[0]);
  EXPECT_TRUE(verified.ok()) << verified;
}

TEST_F(WitnessPolicyTest, APolicyForAnotherLogIsRefusedAtCreation) {
  const std::string text = absl::StrCat(
      "log ",
      ledger::note::VerifierKeyString(
          "other.example/log",
          ledger::crypto::SigningKey::FromSeed(std::string(32, 'o'))
              .value()
              ->public_key()),
      "\n", "witness w1 ", witnesses_[0].vkey, "\nquorum w1\n");
  auto policy = ledger::witness_policy::ParsePolicy(text);
  ASSERT_TRUE(policy.ok()) << policy.status();
  api::client::LedgerClientOptions options;
  options.witness_policy = std::make_shared<const WitnessPolicy>(*policy);
  auto client = LedgerClient::Create(server_->NewChannel(),
                                     server_->verifier_key(), options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace client_test
