// The monitor's cosignature on an index's output log: both logs are real
// ledgers served as tiles over loopback HTTP, followed into the mirror by
// real followers; the witness cosigns the honest output log and refuses one
// whose update lies about the map.
#include "office/index_vouch.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/client/curl_http_getter.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "index/testonly/indexed_log.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "office/log_follower.h"
#include "office/mirror_log_reader.h"
#include "office/monitor_witness.h"
#include "witness/trusted_logs.h"
#include "witness/witness_store.h"

namespace office {
namespace {

// A ledger served as tlog-tiles over loopback HTTP.
struct Served {
  std::unique_ptr<ledger::tiles::LedgerTileSource> source;
  std::unique_ptr<api::tiles_http::TileHandler> handler;
  std::unique_ptr<api::tiles_http::TileHttpServer> server;
  std::string url;
};

Served Serve(const ledger::Ledger* ledger) {
  Served s;
  s.source = std::make_unique<ledger::tiles::LedgerTileSource>(ledger);
  s.handler = std::make_unique<api::tiles_http::TileHandler>(
      s.source.get(), api::tiles_http::TileHandlerOptions{});
  auto server = api::tiles_http::TileHttpServer::Start(s.handler.get(), {});
  EXPECT_TRUE(server.ok()) << server.status();
  s.server = *std::move(server);
  s.url = absl::StrCat("http://127.0.0.1:", s.server->port());
  return s;
}

class IndexVouchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = vindex::testonly::IndexedLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    ASSERT_TRUE(log_->Grow(40).ok());
    ASSERT_TRUE(log_->Grow(25).ok());
    input_ = Serve(&log_->input().ledger());
    output_ = Serve(&log_->output());
    auto mirror = Mirror::Open(ledger::testonly::FreshDir("mirror"));
    ASSERT_TRUE(mirror.ok()) << mirror.status();
    mirror_ = *std::move(mirror);
    in_cfg_ = {log_->input().ledger().origin(),
               log_->input().ledger().VerifierKey(),
               input_.url,
               "",
               {}};
    out_cfg_ = {log_->output().origin(),
                log_->output().VerifierKey(),
                output_.url,
                "",
                {},
                in_cfg_.origin};

    auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, '\x0b'));
    auto cosigner = ledger::note::Cosigner::Create("office.example/monitor",
                                                   std::move(*key));
    auto logs = witness::TrustedLogs::Parse(
        absl::StrCat("log ", in_cfg_.vkey, "\nlog ", out_cfg_.vkey, "\n"));
    ASSERT_TRUE(logs.ok()) << logs.status();
    auto store =
        witness::WitnessStore::Open(ledger::testonly::FreshDir("witness"));
    ASSERT_TRUE(store.ok());
    store_ = *std::move(store);
    auto w = witness::Witness::Create(
        std::move(*cosigner), std::move(*logs), store_.get(), &clock_,
        IndexReplayed(
            mirror_.get(), {{out_cfg_.origin, in_cfg_.origin}},
            VerifiedUpToSize(mirror_.get()),
            [this](absl::string_view, uint64_t size, const absl::Status& why) {
              mismatches_.push_back(absl::StrCat(size, ": ", why.message()));
            }));
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = *std::move(w);
  }

  // Publishes both ledgers' checkpoints, then one follow step of each log
  // (input first).
  void Follow() {
    ASSERT_TRUE(log_->input().ledger().PublishCheckpoint().ok());
    ASSERT_TRUE(log_->output().PublishCheckpoint().ok());
    for (const FollowedLog* cfg : {&in_cfg_, &out_cfg_}) {
      auto f = LogFollower::Create(
          *cfg, mirror_.get(), *api::client::CurlHttpGetter::Create(), &clock_);
      ASSERT_TRUE(f.ok()) << f.status();
      auto step = (*f)->Step();
      ASSERT_TRUE(step.ok()) << step.status();
      auto incidents = mirror_->Incidents(cfg->origin);
      ASSERT_TRUE(incidents.ok());
      ASSERT_TRUE(incidents->empty()) << incidents->front().reason;
    }
  }

  // Appends one entry about `model` (ModelLog kind) to the input, then
  // publishes `lie` as of the new input size and root — an update signed
  // by the output log's enrolled rules key, so an admissible leaf that the
  // follower verifies — and expects the monitor to refuse to cosign it.
  void ExpectRefused(vindex::IndexState lie, const std::string& model,
                     int kind) {
    ASSERT_TRUE(log_->input().Append(model, kind).ok());
    auto cp = log_->input().Checkpoint();
    ASSERT_TRUE(cp.ok());
    lie.input_size = cp->size;
    lie.input_root = cp->root;
    ASSERT_TRUE(log_->output_log().Publish({in_cfg_.origin, lie}).ok());
    Follow();
    witness::WitnessResponse lying = Cosign();
    EXPECT_EQ(lying.status, 503) << lying.body;
    EXPECT_TRUE(absl::StrContains(lying.body, "map root")) << lying.body;
    ASSERT_EQ(mismatches_.size(), 1u);
    EXPECT_TRUE(absl::StrContains(mismatches_[0], "map root"));
  }

  // Asks for a cosignature on the output log's latest checkpoint (never
  // cosigned before: old 0).
  witness::WitnessResponse Cosign() {
    auto note = log_->output().LatestCheckpoint();
    EXPECT_TRUE(note.ok()) << note.status();
    return witness_->AddCheckpoint(absl::StrCat("old 0\n\n", *note));
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<vindex::testonly::IndexedLog> log_;
  Served input_, output_;
  std::unique_ptr<Mirror> mirror_;
  FollowedLog in_cfg_, out_cfg_;
  std::unique_ptr<witness::WitnessStore> store_;
  std::unique_ptr<witness::Witness> witness_;
  std::vector<std::string> mismatches_;
};

TEST_F(IndexVouchTest, CosignsAnHonestOutputLog) {
  Follow();
  ASSERT_TRUE(log_->Grow(30).ok());
  Follow();
  witness::WitnessResponse honest = Cosign();
  ASSERT_EQ(honest.status, 200) << honest.body;
  EXPECT_TRUE(mismatches_.empty());
}

TEST_F(IndexVouchTest, RefusesAnUpdateWithAWrongMapRoot) {
  // One bit off the map root, over the real input size and root.
  vindex::IndexState lie = log_->builder().state();
  lie.map_root[0] ^= 1;
  ExpectRefused(lie, "m1", 1);
}

TEST_F(IndexVouchTest, RefusesAnUpdateOmittingAnEntry) {
  // The builder's own state before the new entry, published with the new
  // size and root: the entry is left out of its model's list, so the map
  // root differs from the replay's.
  ExpectRefused(log_->builder().state(), "m2", 0);
}

TEST_F(IndexVouchTest, RefusesAnUpdateBeyondWhatTheMirrorVerified) {
  // Only the output log is followed: its updates name input sizes the
  // mirror has not verified.
  ASSERT_TRUE(log_->output().PublishCheckpoint().ok());
  auto f = LogFollower::Create(out_cfg_, mirror_.get(),
                               *api::client::CurlHttpGetter::Create(), &clock_);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Step().ok());
  witness::WitnessResponse early = Cosign();
  EXPECT_EQ(early.status, 503) << early.body;
  EXPECT_TRUE(absl::StrContains(early.body, "beyond")) << early.body;
  // Once the input is mirrored, the same checkpoint is cosigned.
  Follow();
  EXPECT_EQ(Cosign().status, 200);
}

TEST(MirrorLogReaderTest, ReadsTheVerifiedTreeAndServesNoProofs) {
  auto log = vindex::testonly::IndexedLog::Create();
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Grow(20).ok());
  ASSERT_TRUE((*log)->input().ledger().PublishCheckpoint().ok());
  Served in = Serve(&(*log)->input().ledger());
  auto mirror = Mirror::Open(ledger::testonly::FreshDir("mirror"));
  ASSERT_TRUE(mirror.ok());
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  const std::string origin = (*log)->input().ledger().origin();
  FollowedLog cfg{
      origin, (*log)->input().ledger().VerifierKey(), in.url, "", {}};
  auto f = LogFollower::Create(cfg, mirror->get(),
                               *api::client::CurlHttpGetter::Create(), &clock);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Step().ok());

  MirrorLogReader reader(mirror->get(), origin);
  auto cp = reader.LatestCheckpoint();
  ASSERT_TRUE(cp.ok()) << cp.status();
  auto want = (*log)->input().Checkpoint();
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(cp->fields.size, want->size);
  EXPECT_EQ(cp->fields.root, want->root);
  EXPECT_FALSE(cp->note.empty());
  auto leaves = reader.ReadLeaves(*cp, 3, 5);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  auto stored = (*log)->input().Leaves(3, 8);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(leaves->size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*leaves)[i].index, 3 + i);
    EXPECT_EQ((*leaves)[i].leaf, (*stored)[i]);
  }
  EXPECT_EQ(reader.ReadLeaves(*cp, cp->fields.size, 1).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(reader.ProveLeaf(*cp, 0).status().code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace office
