// LogFollower across log-key rotations, over real loopback HTTP: a real
// ledger (RocksDB, real signatures) rotates its log key with
// Ledger::RotateLogKey (ledgerctl rotate-log-key's code) and goes on
// publishing checkpoints its new key alone signs; its tiles are served by
// the ledger_server's own handler (api/tiles_http) over libmicrohttpd, read
// with libcurl. The follower, configured with the first key only, follows
// it before and after each rotation through the handover checkpoint
// (`/log-key-handover/<E>`), and across a restart; without that endpoint it
// waits (an error, never an incident). The same over a static copy written
// by PublishTiles (`ledgerctl publish`) and served as plain files.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/client/curl_http_getter.h"
#include "api/tiles_http/testonly/served_ledger.h"
#include "common/clock.h"
#include "common/read_file.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/witness_policy/policy.h"
#include "office/log_follower.h"
#include "office/mirror.h"
#include "office/monitor_witness.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_store.h"

namespace office {
namespace {

// A witness cosigning every checkpoint the log serves at /checkpoint: its
// cosignature is appended to each, not to the handovers (no witness
// cosigned those: they are served apart).
class CosigningGetter : public api::client::HttpGetter {
 public:
  CosigningGetter(std::unique_ptr<api::client::HttpGetter> inner,
                  const ledger::note::Cosigner* witness)
      : inner_(std::move(inner)), witness_(witness) {}

  absl::StatusOr<std::string> Get(absl::string_view url,
                                  size_t max_bytes) override {
    absl::StatusOr<std::string> body = inner_->Get(url, max_bytes);
    if (!body.ok() || !absl::EndsWith(url, "/checkpoint")) return body;
    absl::StatusOr<std::string> line = witness_->CosignatureLine(
        body->substr(0, body->find("\n\n") + 1), 1'790'000'000);
    if (!line.ok()) return line.status();
    return *body + *line;
  }

 private:
  std::unique_ptr<api::client::HttpGetter> inner_;
  const ledger::note::Cosigner* witness_;
};

class LogFollowerRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto served =
        api::tiles_http::testonly::ServedLedger::Start("factory-r.example/log");
    ASSERT_TRUE(served.ok()) << served.status();
    served_ = std::move(*served);
    url_ = served_->url();
    mirror_dir_ = ledger::testonly::FreshDir("rotation-mirror");
    OpenMirror();
  }

  void OpenMirror() {
    mirror_.reset();
    auto mirror = Mirror::Open(mirror_dir_);
    ASSERT_TRUE(mirror.ok()) << mirror.status();
    mirror_ = std::move(*mirror);
  }

  // Appends `n` collector entries and publishes a checkpoint.
  void Grow(int n) { ASSERT_TRUE(served_->Grow(n).ok()); }

  // Rotates the log key (the admin-signed LogKey, then the handover
  // checkpoint both keys sign), as `ledgerctl rotate-log-key` does.
  void Rotate() { ASSERT_TRUE(served_->Rotate().ok()); }

  // Publishes the ledger's tiles into a folder served as plain files, as
  // `ledgerctl publish` does; url_ then names that copy.
  void PublishStatic() {
    auto url = served_->PublishStatic();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  // A follower configured with the log's first key only.
  std::unique_ptr<LogFollower> Follower() {
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok()) << http.status();
    FollowedLog config;
    config.origin = served_->ledger().origin();
    config.vkey = served_->first_vkey();
    config.tiles_url = url_;
    FollowerOptions options;
    options.max_entries_per_commit = 100;
    auto follower = LogFollower::Create(config, mirror_.get(), std::move(*http),
                                        &clock_, options);
    EXPECT_TRUE(follower.ok()) << follower.status();
    return follower.ok() ? std::move(*follower) : nullptr;
  }

  // Steps until the follower verified the whole ledger (at most `steps`).
  void CatchUp(LogFollower& f, int steps = 4) {
    for (int i = 0; i < steps && f.verified_size() < served_->ledger().Size();
         ++i) {
      auto step = f.Step();
      ASSERT_TRUE(step.ok()) << step.status();
      ASSERT_FALSE(step->incident.has_value()) << step->incident->reason;
    }
    ASSERT_EQ(f.verified_size(), served_->ledger().Size());
    // The mirror holds the ledger's leaves, byte for byte.
    uint64_t n = 0;
    ASSERT_TRUE(mirror_
                    ->Visit(served_->ledger().origin(), 0,
                            [&](uint64_t index, absl::string_view leaf) {
                              EXPECT_EQ(leaf, *served_->ledger().GetLeaf(index))
                                  << index;
                              ++n;
                              return absl::OkStatus();
                            })
                    .ok());
    EXPECT_EQ(n, served_->ledger().Size());
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::unique_ptr<api::tiles_http::testonly::ServedLedger> served_;
  std::string url_;
  std::string mirror_dir_;
  std::unique_ptr<Mirror> mirror_;
};

TEST_F(LogFollowerRotationTest, FollowsRotationsItMissedAndAcrossARestart) {
  Grow(300);
  auto follower = Follower();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);

  // Rotated, then a checkpoint only the new key signs: the follower never
  // saw the handover as the latest checkpoint.
  Rotate();
  Grow(120);
  CatchUp(*follower);
  EXPECT_EQ(served_->ledger().LogKeys().epochs().size(), 2u);

  // Again, and the monitor restarts in between: the key it follows comes
  // back from its stored state (the configured key is the first one).
  Rotate();
  Grow(40);
  follower.reset();
  OpenMirror();
  follower = Follower();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);

  // Nothing new: a step with the third key's checkpoint changes nothing.
  auto step = follower->Step();
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->new_entries, 0u);
}

TEST_F(LogFollowerRotationTest, WithoutTheHandoverItWaitsWithoutAnIncident) {
  Grow(50);
  auto follower = Follower();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);
  const uint64_t before = follower->verified_size();

  served_->set_handovers(false);
  Rotate();
  Grow(30);
  auto step = follower->Step();
  EXPECT_EQ(step.status().code(), absl::StatusCode::kDataLoss) << step.status();
  EXPECT_FALSE(follower->stopped());
  EXPECT_EQ(follower->verified_size(), before);

  served_->set_handovers(true);
  CatchUp(*follower);
}

// The monitor's witness, configured like the follower with the log's first
// key only (monitor_main.cc: the config's vkeys), cosigns the checkpoints
// the follower verified after a rotation, which only the key the leaves
// announced signs (what it has not verified stays refused:
// monitor_witness_test).
TEST_F(LogFollowerRotationTest, ItsWitnessCosignsWhatItVerifiedAfterARotation) {
  Grow(50);
  auto follower = Follower();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);
  Rotate();
  Grow(30);
  CatchUp(*follower);
  // Signed by the second key only.
  const std::string verified =
      served_->handler()
          .Handle(api::tiles_http::HttpRequest{"GET", "/checkpoint", "", ""})
          .body;

  auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, '\x0b'));
  ASSERT_TRUE(key.ok());
  auto cosigner =
      ledger::note::Cosigner::Create("office.example/monitor", std::move(*key));
  ASSERT_TRUE(cosigner.ok());
  auto logs = witness::TrustedLogs::Parse(
      absl::StrCat("log ", served_->first_vkey(), "\n"));
  ASSERT_TRUE(logs.ok()) << logs.status();
  auto store = witness::WitnessStore::Open(
      ledger::testonly::FreshDir("rotation-witness"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto w = witness::Witness::Create(
      std::move(*cosigner), std::move(*logs), store->get(), &clock_,
      VerifiedUpToSize(mirror_.get()), AnnouncedLogKeys(mirror_.get()));
  ASSERT_TRUE(w.ok()) << w.status();

  witness::WitnessResponse cosigned =
      (*w)->AddCheckpoint(absl::StrCat("old 0\n\n", verified));
  EXPECT_EQ(cosigned.status, 200) << cosigned.body;
}

// Under a tlog-policy, a checkpoint is accepted only with its quorum: the
// handover of a rotation, which no witness cosigned, is not followed (that
// would mirror, cosign and record a tree no quorum saw). The log waits (an
// error, never an incident) until the config names the new key, then is
// followed with the quorum again.
TEST_F(LogFollowerRotationTest, UnderAPolicyAHandoverIsNotFollowedUnwitnessed) {
  auto witness_key =
      ledger::crypto::SigningKey::FromSeed(std::string(32, '\x0c'));
  ASSERT_TRUE(witness_key.ok());
  auto witness = ledger::note::Cosigner::Create("w1.example/witness",
                                                std::move(*witness_key));
  ASSERT_TRUE(witness.ok());
  auto follower_with = [&](const std::string& vkey) {
    FollowedLog config;
    config.origin = served_->ledger().origin();
    config.vkey = vkey;
    config.tiles_url = url_;
    // As monitor_config.cc builds it: the configured key is the policy's log.
    auto policy = ledger::witness_policy::ParsePolicy(
        absl::StrCat("log ", vkey, "\nwitness w1 ", (*witness)->VerifierKey(),
                     "\nquorum w1\n"));
    EXPECT_TRUE(policy.ok()) << policy.status();
    config.policy = *policy;
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok());
    auto f = LogFollower::Create(
        config, mirror_.get(),
        std::make_unique<CosigningGetter>(std::move(*http), witness->get()),
        &clock_);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? std::move(*f) : nullptr;
  };
  Grow(50);
  auto follower = follower_with(served_->first_vkey());
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);
  const uint64_t before = follower->verified_size();

  Rotate();
  Grow(30);
  const uint64_t handover_size = served_->ledger().Size() - 30;
  for (int i = 0; i < 2; ++i) {
    auto step = follower->Step();
    EXPECT_EQ(step.status().code(), absl::StatusCode::kDataLoss)
        << step.status();
    EXPECT_FALSE(follower->stopped());
    EXPECT_EQ(follower->verified_size(), before);
  }
  auto unwitnessed =
      mirror_->VerifiedCheckpoint(served_->ledger().origin(), handover_size);
  ASSERT_TRUE(unwitnessed.ok());
  EXPECT_FALSE(unwitnessed->has_value());

  // The operator names the new key: followed to the end, with the quorum.
  follower = follower_with(ledger::LogVerifierKey(
      served_->ledger().origin(), served_->ledger().LogKeys().current().key));
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);
}

// A static copy carries the handovers too: the same bytes the server's
// endpoint serves, and the follower follows both rotations from it.
TEST_F(LogFollowerRotationTest, FollowsRotationsOverAStaticCopy) {
  Grow(300);
  ASSERT_NO_FATAL_FAILURE(PublishStatic());
  auto follower = Follower();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower);
  for (int epoch = 1; epoch <= 2; ++epoch) {
    Rotate();
    Grow(120 / epoch);
    ASSERT_NO_FATAL_FAILURE(PublishStatic());
    const std::string path = absl::StrCat("/log-key-handover/", epoch);
    const api::tiles_http::HttpResponse served = served_->handler().Handle(
        api::tiles_http::HttpRequest{"GET", path, "", ""});
    ASSERT_EQ(served.status, 200) << path;
    auto published = common::ReadWholeFile(served_->static_dir() + path);
    ASSERT_TRUE(published.ok()) << published.status();
    EXPECT_EQ(*published, served.body) << path;
    CatchUp(*follower);
  }
  EXPECT_EQ(served_->ledger().LogKeys().epochs().size(), 3u);
}

}  // namespace
}  // namespace office
