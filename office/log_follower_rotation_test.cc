// LogFollower across log-key rotations, over real loopback HTTP: a real
// ledger (RocksDB, real signatures) rotates its log key with
// Ledger::RotateLogKey (ledgerctl rotate-log-key's code) and goes on
// publishing checkpoints its new key alone signs; its tiles are served by
// the ledger_server's own handler (api/tiles_http) over libmicrohttpd, read
// with libcurl. The follower, configured with the first key only, follows
// it before and after each rotation through the handover checkpoint
// (`/log-key-handover/<E>`), and across a restart; without that endpoint it
// waits (an error, never an incident).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/curl_http_getter.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "office/log_follower.h"
#include "office/mirror.h"

namespace office {
namespace {

// The ledger's tiles, with its handover checkpoints served or hidden (a
// server without the extension).
class Source final : public ledger::tiles::TileSource {
 public:
  explicit Source(const ledger::Ledger* l) : tiles_(l) {}
  void set_handovers(bool served) { handovers_ = served; }

  absl::StatusOr<ledger::tiles::PublishedCheckpoint> LatestCheckpoint()
      override {
    return tiles_.LatestCheckpoint();
  }
  absl::StatusOr<std::string> ReadTile(const ledger::tiles::TileId& tile,
                                       uint64_t size) override {
    return tiles_.ReadTile(tile, size);
  }
  absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) override {
    if (!handovers_) return TileSource::LogKeyHandover(epoch);
    return tiles_.LogKeyHandover(epoch);
  }

 private:
  ledger::tiles::LedgerTileSource tiles_;
  bool handovers_ = true;
};

class LogFollowerRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = ledger::testonly::LedgerFixture::Create("factory-r.example/log");
    ASSERT_TRUE(f.ok()) << f.status();
    f_ = std::move(*f);
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
    first_vkey_ = f_->ledger().VerifierKey();
    source_ = std::make_unique<Source>(&f_->ledger());
    handler_ = std::make_unique<api::tiles_http::TileHandler>(
        source_.get(), api::tiles_http::TileHandlerOptions{});
    auto server = api::tiles_http::TileHttpServer::Start(
        handler_.get(), api::tiles_http::TileHttpServerOptions{});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    url_ = absl::StrCat("http://127.0.0.1:", server_->port());
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
  void Grow(int n) {
    for (int i = 0; i < n; ++i) {
      f_->clock().Advance(absl::Seconds(1));
      auto envelope = collector_->SignNext("aifl.collector.v1.Blob",
                                           absl::StrCat("entry ", i));
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      ASSERT_TRUE(f_->AppendOne(*envelope).ok());
    }
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  }

  // Rotates the log key (the admin-signed LogKey, then the handover
  // checkpoint both keys sign), as `ledgerctl rotate-log-key` does.
  void Rotate() {
    auto key = ledger::crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    const std::string path =
        absl::StrCat(f_->dir(), "/keys/next-", ++rotations_, ".key");
    ASSERT_TRUE(ledger::crypto::WriteSecretKeyFile(path, **key).ok());
    aifl::ledger::v1::KeyEvent event;
    event.mutable_log_key()->set_public_key(
        std::string((*key)->public_key().bytes()));
    event.mutable_log_key()->set_origin(f_->ledger().origin());
    f_->admin().set_next_sequence(
        f_->ledger().FindKey(f_->admin().key_id())->next_sequence);
    auto envelope =
        f_->admin().SignNext(ledger::kKeyEventType, event.SerializeAsString());
    ASSERT_TRUE(envelope.ok());
    auto handover = f_->ledger().RotateLogKey(*envelope, *std::move(key), path);
    ASSERT_TRUE(handover.ok()) << handover.status();
  }

  // A follower configured with the log's first key only.
  std::unique_ptr<LogFollower> Follower() {
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok()) << http.status();
    FollowedLog config;
    config.origin = f_->ledger().origin();
    config.vkey = first_vkey_;
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
    for (int i = 0; i < steps && f.verified_size() < f_->ledger().Size(); ++i) {
      auto step = f.Step();
      ASSERT_TRUE(step.ok()) << step.status();
      ASSERT_FALSE(step->incident.has_value()) << step->incident->reason;
    }
    ASSERT_EQ(f.verified_size(), f_->ledger().Size());
    // The mirror holds the ledger's leaves, byte for byte.
    uint64_t n = 0;
    ASSERT_TRUE(mirror_
                    ->Visit(f_->ledger().origin(), 0,
                            [&](uint64_t index, absl::string_view leaf) {
                              EXPECT_EQ(leaf, *f_->ledger().GetLeaf(index))
                                  << index;
                              ++n;
                              return absl::OkStatus();
                            })
                    .ok());
    EXPECT_EQ(n, f_->ledger().Size());
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::unique_ptr<ledger::testonly::LedgerFixture> f_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  std::string first_vkey_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<api::tiles_http::TileHandler> handler_;
  std::unique_ptr<api::tiles_http::TileHttpServer> server_;
  std::string url_;
  std::string mirror_dir_;
  std::unique_ptr<Mirror> mirror_;
  int rotations_ = 0;
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
  EXPECT_EQ(f_->ledger().LogKeys().epochs().size(), 2u);

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

  source_->set_handovers(false);
  Rotate();
  Grow(30);
  auto step = follower->Step();
  EXPECT_EQ(step.status().code(), absl::StatusCode::kDataLoss) << step.status();
  EXPECT_FALSE(follower->stopped());
  EXPECT_EQ(follower->verified_size(), before);

  source_->set_handovers(true);
  CatchUp(*follower);
}

}  // namespace
}  // namespace office
