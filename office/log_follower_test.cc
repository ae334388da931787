// LogFollower against factory logs served over real HTTP on loopback
// (testonly/hostile_log.h), read with libcurl, mirrored in a real RocksDB:
// an honest log followed incrementally and across restarts, and every kind
// of hostile log stopped at its last good size with its evidence.
#include "office/log_follower.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/curl_http_getter.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/witness_policy/policy.h"
#include "office/mirror.h"
#include "office/testonly/hostile_log.h"

namespace office {
namespace {

using ::testing::Each;
using ::testing::Ge;
using ::testing::HasSubstr;
using testonly::HostileLog;

class LogFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = HostileLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    dir_ = ledger::testonly::FreshDir("mirror");
    OpenMirror();
  }

  void OpenMirror() {
    follower_.reset();
    mirror_.reset();
    auto mirror = Mirror::Open(dir_);
    ASSERT_TRUE(mirror.ok()) << mirror.status();
    mirror_ = std::move(*mirror);
  }

  std::unique_ptr<LogFollower> Follower(HostileLog& log) {
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok()) << http.status();
    FollowedLog config;
    config.origin = log.origin();
    config.vkey = log.vkey();
    config.tiles_url = log.url();
    FollowerOptions options;
    options.max_entries_per_commit = 300;  // several commits per step
    options.max_cached_tiles = 4;
    auto f = LogFollower::Create(config, mirror_.get(), std::move(*http),
                                 &clock_, options);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? std::move(*f) : nullptr;
  }

  StepOutcome MustStep(LogFollower& f) {
    auto step = f.Step();
    EXPECT_TRUE(step.ok()) << step.status();
    return step.ok() ? *step : StepOutcome{};
  }

  std::vector<std::string> Mirrored(const std::string& origin) {
    std::vector<std::string> out;
    absl::Status s =
        mirror_->Visit(origin, 0, [&](uint64_t i, absl::string_view leaf) {
          EXPECT_EQ(i, out.size());
          out.emplace_back(leaf);
          return absl::OkStatus();
        });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  // Follows the honest log up to `n` collector entries more.
  void FollowHonest(int n) {
    absl::Status grown = log_->Grow(n);
    ASSERT_TRUE(grown.ok()) << grown;
    absl::Status served = log_->ServeLedger();
    ASSERT_TRUE(served.ok()) << served;
    if (follower_ == nullptr) follower_ = Follower(*log_);
    StepOutcome step = MustStep(*follower_);
    ASSERT_FALSE(step.incident.has_value()) << step.incident->reason;
    auto leaves = log_->LedgerLeaves();
    ASSERT_TRUE(leaves.ok());
    ASSERT_EQ(step.verified_size, leaves->size());
  }

  LogIncident StepToIncident(IncidentKind kind) {
    StepOutcome step = MustStep(*follower_);
    EXPECT_TRUE(step.incident.has_value());
    if (!step.incident.has_value()) return {};
    EXPECT_EQ(step.incident->kind, kind) << step.incident->reason;
    EXPECT_TRUE(follower_->stopped());
    // Stored, and the log is never followed again, even after a restart.
    auto stored = mirror_->Incidents(log_->origin());
    EXPECT_TRUE(stored.ok());
    EXPECT_EQ(stored->size(), 1u);
    return *step.incident;
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<HostileLog> log_;
  std::string dir_;
  std::unique_ptr<Mirror> mirror_;
  std::unique_ptr<LogFollower> follower_;
};

TEST_F(LogFollowerTest, MirrorsEveryVerifiedLeafIncrementally) {
  FollowHonest(600);  // genesis + enrolment + 600: 3 bundles, the last partial
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  EXPECT_EQ(Mirrored(log_->origin()), *leaves);
  auto verified = mirror_->VerifiedCheckpoint(log_->origin(), leaves->size());
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->value_or(""), log_->note());

  // Nothing new: nothing fetched but the checkpoint.
  log_->ClearBundlesServed();
  StepOutcome idle = MustStep(*follower_);
  EXPECT_EQ(idle.new_entries, 0u);
  EXPECT_TRUE(log_->BundlesServed().empty());

  // Growth: only the bundles from the old size's on are read.
  const uint64_t old_size = leaves->size();
  FollowHonest(500);
  EXPECT_THAT(log_->BundlesServed(), Each(Ge(old_size / 256)));
  leaves = log_->LedgerLeaves();
  EXPECT_EQ(Mirrored(log_->origin()), *leaves);
}

TEST_F(LogFollowerTest, ResumesAfterRestartWithoutRereading) {
  FollowHonest(700);
  const uint64_t size = follower_->verified_size();
  OpenMirror();  // a restart: new mirror handle, new follower, same state
  ASSERT_TRUE(log_->Grow(300).ok());
  ASSERT_TRUE(log_->ServeLedger().ok());
  log_->ClearBundlesServed();
  follower_ = Follower(*log_);
  EXPECT_EQ(follower_->verified_size(), size);
  StepOutcome step = MustStep(*follower_);
  // The new leaves are signed by the collector enrolled before the restart:
  // the registry was resumed, not rebuilt from leaf 0.
  ASSERT_FALSE(step.incident.has_value()) << step.incident->reason;
  EXPECT_EQ(step.new_entries, 300u);
  EXPECT_THAT(log_->BundlesServed(), Each(Ge(size / 256)));
  auto leaves = log_->LedgerLeaves();
  EXPECT_EQ(Mirrored(log_->origin()), *leaves);
}

TEST_F(LogFollowerTest, RollbackStopsTheLogWithBothCheckpoints) {
  FollowHonest(400);
  const std::string accepted = log_->note();
  const uint64_t size = follower_->verified_size();
  ASSERT_TRUE(log_->ServeLedger(size - 10).ok());
  LogIncident i = StepToIncident(IncidentKind::kRollback);
  EXPECT_EQ(i.stopped_at_size, size);
  EXPECT_EQ(i.accepted_note, accepted);
  EXPECT_EQ(i.offending_note, log_->note());
  EXPECT_THAT(i.reason, HasSubstr("rolled back"));
  // Stopped for good: a later honest answer is not read, the mirror stays.
  ASSERT_TRUE(log_->ServeLedger().ok());
  OpenMirror();
  follower_ = Follower(*log_);
  EXPECT_TRUE(follower_->stopped());
  EXPECT_EQ(MustStep(*follower_).verified_size, size);
}

TEST_F(LogFollowerTest, SameSizeOtherRootIsAFork) {
  FollowHonest(400);
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  std::vector<std::string> other = *leaves;
  other[300] = other[301];  // another history of the same size
  ASSERT_TRUE(log_->Serve(other).ok());
  LogIncident i = StepToIncident(IncidentKind::kFork);
  EXPECT_EQ(i.stopped_at_size, leaves->size());
  EXPECT_NE(i.accepted_note, i.offending_note);
  EXPECT_THAT(i.reason, HasSubstr("forked"));
}

TEST_F(LogFollowerTest, LargerInconsistentCheckpointIsAFork) {
  FollowHonest(400);
  const uint64_t size = follower_->verified_size();
  ASSERT_TRUE(log_->Grow(100).ok());
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  std::vector<std::string> other = *leaves;
  other[10] = other[11];  // rewrites history the monitor already verified
  ASSERT_TRUE(log_->Serve(other).ok());
  LogIncident i = StepToIncident(IncidentKind::kFork);
  EXPECT_EQ(i.stopped_at_size, size);
  EXPECT_THAT(i.reason, HasSubstr("consistency"));
  EXPECT_EQ(Mirrored(log_->origin()).size(), size);
}

TEST_F(LogFollowerTest, LeafThatDoesNotHashToItsTileIsKeptAsEvidence) {
  FollowHonest(300);
  const uint64_t size = follower_->verified_size();
  ASSERT_TRUE(log_->Grow(300).ok());
  ASSERT_TRUE(log_->ServeLedger().ok());
  log_->set_tamper([](const std::string& path, std::string& body) {
    if (path == "tile/entries/001") body[100] ^= 0x01;
  });
  LogIncident i = StepToIncident(IncidentKind::kBadTile);
  EXPECT_EQ(i.stopped_at_size, size);
  EXPECT_EQ(i.tile_url, log_->url() + "/tile/entries/001");
  ASSERT_GT(i.tile_bytes.size(), 100u);  // the bundle as served
  EXPECT_EQ(i.offending_note, log_->note());
  EXPECT_EQ(Mirrored(log_->origin()).size(), size);
}

TEST_F(LogFollowerTest, EntryByAnUnenrolledKeyStopsTheLog) {
  FollowHonest(300);
  const uint64_t size = follower_->verified_size();
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  auto bad = log_->UnenrolledLeaf();
  ASSERT_TRUE(bad.ok()) << bad.status();
  leaves->push_back(*bad);
  ASSERT_TRUE(log_->Serve(*leaves).ok());
  LogIncident i = StepToIncident(IncidentKind::kBadEntry);
  EXPECT_EQ(i.stopped_at_size, size);
  ASSERT_TRUE(i.leaf_index.has_value());
  EXPECT_EQ(*i.leaf_index, size);
  EXPECT_THAT(i.reason, HasSubstr("unknown key"));
}

TEST_F(LogFollowerTest, EntryWithABadSignatureStopsTheLog) {
  FollowHonest(300);
  const uint64_t size = follower_->verified_size();
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  auto bad = log_->BadSignatureLeaf();
  ASSERT_TRUE(bad.ok()) << bad.status();
  leaves->push_back(*bad);
  ASSERT_TRUE(log_->Serve(*leaves).ok());
  LogIncident i = StepToIncident(IncidentKind::kBadEntry);
  ASSERT_TRUE(i.leaf_index.has_value());
  EXPECT_EQ(*i.leaf_index, size);
  EXPECT_THAT(i.reason, HasSubstr("signature"));
}

// The signatures of a chunk's bundles are verified on other threads while
// the next bundles are replayed: a bad one in the middle of a chunk (and
// another later in it) still stops the log at the first, with nothing of
// that chunk committed.
TEST_F(LogFollowerTest, BadSignatureInTheMiddleOfAChunkStopsAtThatLeaf) {
  FollowHonest(300);
  const uint64_t size = follower_->verified_size();
  ASSERT_TRUE(log_->Grow(2000).ok());
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  const uint64_t bad = size + 1000, later = bad + 300;
  for (uint64_t i : {bad, later}) {
    auto flipped = HostileLog::WithBadSignature((*leaves)[i]);
    ASSERT_TRUE(flipped.ok()) << flipped.status();
    (*leaves)[i] = *flipped;
  }
  ASSERT_TRUE(log_->Serve(*leaves).ok());
  LogIncident i = StepToIncident(IncidentKind::kBadEntry);
  ASSERT_TRUE(i.leaf_index.has_value());
  EXPECT_EQ(*i.leaf_index, bad);
  EXPECT_THAT(i.reason, HasSubstr("signature"));
  // Chunks before it committed (300 leaves or more each, whole bundles),
  // the one holding it not: the mirror ends at its start.
  EXPECT_GT(i.stopped_at_size, size);
  EXPECT_LT(i.stopped_at_size, bad);
  EXPECT_GT(i.stopped_at_size + 300 + 256, bad);
  EXPECT_EQ(Mirrored(log_->origin()).size(), i.stopped_at_size);
  EXPECT_EQ(follower_->verified_size(), i.stopped_at_size);
}

// A chunk is committed while the next one is fetched and replayed (its last
// signatures may still be verifying then): whatever stops the log in the
// next chunk first settles that chunk, so the log stops where it did when
// each chunk was committed before the next bundle was fetched. Chunks of
// 300 leaves or more, whole bundles: [0, 512), [512, ...).
TEST_F(LogFollowerTest, BadTileAfterASealedChunkStopsAfterThatChunk) {
  ASSERT_TRUE(log_->Grow(1000).ok());
  ASSERT_TRUE(log_->ServeLedger().ok());
  log_->set_tamper([](const std::string& path, std::string& body) {
    if (path == "tile/entries/002") body[100] ^= 0x01;
  });
  follower_ = Follower(*log_);
  LogIncident i = StepToIncident(IncidentKind::kBadTile);
  EXPECT_EQ(i.tile_url, log_->url() + "/tile/entries/002");
  EXPECT_EQ(i.stopped_at_size, 512u);
  EXPECT_EQ(Mirrored(log_->origin()).size(), 512u);
  EXPECT_EQ(follower_->verified_size(), 512u);
}

TEST_F(LogFollowerTest, BadSignatureInASealedChunkComesBeforeTheNextBadTile) {
  ASSERT_TRUE(log_->Grow(1000).ok());
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  auto flipped = HostileLog::WithBadSignature((*leaves)[400]);
  ASSERT_TRUE(flipped.ok()) << flipped.status();
  (*leaves)[400] = *flipped;
  ASSERT_TRUE(log_->Serve(*leaves).ok());
  log_->set_tamper([](const std::string& path, std::string& body) {
    if (path == "tile/entries/002") body[100] ^= 0x01;
  });
  follower_ = Follower(*log_);
  LogIncident i = StepToIncident(IncidentKind::kBadEntry);
  ASSERT_TRUE(i.leaf_index.has_value());
  EXPECT_EQ(*i.leaf_index, 400u);
  EXPECT_EQ(i.stopped_at_size, 0u);
  EXPECT_TRUE(Mirrored(log_->origin()).empty());
}

TEST_F(LogFollowerTest, BadEntryAfterASealedChunkStopsAfterThatChunk) {
  ASSERT_TRUE(log_->Grow(600).ok());
  auto leaves = log_->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  auto bad = log_->UnenrolledLeaf();
  ASSERT_TRUE(bad.ok()) << bad.status();
  leaves->resize(512);
  leaves->push_back(*bad);  // the first leaf of the second chunk
  ASSERT_TRUE(log_->Serve(*leaves).ok());
  follower_ = Follower(*log_);
  LogIncident i = StepToIncident(IncidentKind::kBadEntry);
  ASSERT_TRUE(i.leaf_index.has_value());
  EXPECT_EQ(*i.leaf_index, 512u);
  EXPECT_EQ(i.stopped_at_size, 512u);
  EXPECT_EQ(Mirrored(log_->origin()).size(), 512u);
}

TEST_F(LogFollowerTest, UnsignedCheckpointIsAnErrorNotAnIncident) {
  FollowHonest(100);
  log_->set_tamper(nullptr);
  // A checkpoint under another key proves nothing about this log.
  auto other = HostileLog::Create(log_->origin());
  ASSERT_TRUE(other.ok());
  FollowedLog config;
  auto http = api::client::CurlHttpGetter::Create();
  config.origin = log_->origin();
  config.vkey = log_->vkey();
  config.tiles_url = (*other)->url();
  auto f =
      LogFollower::Create(config, mirror_.get(), std::move(*http), &clock_);
  ASSERT_TRUE(f.ok());
  auto step = (*f)->Step();
  EXPECT_FALSE(step.ok());
  EXPECT_FALSE((*f)->stopped());
  EXPECT_TRUE(mirror_->Incidents(log_->origin())->empty());
}

TEST_F(LogFollowerTest, PolicyQuorumIsRequiredBeforeAccepting) {
  auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, '\x07'));
  ASSERT_TRUE(key.ok());
  auto cosigner =
      ledger::note::Cosigner::Create("w1.example/witness", std::move(*key));
  ASSERT_TRUE(cosigner.ok());
  auto policy = ledger::witness_policy::ParsePolicy(
      absl::StrCat("log ", log_->vkey(), "\nwitness w1 ",
                   (*cosigner)->VerifierKey(), "\nquorum w1\n"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_TRUE(log_->Grow(10).ok());
  ASSERT_TRUE(log_->ServeLedger().ok());
  FollowedLog config;
  config.origin = log_->origin();
  config.vkey = log_->vkey();
  config.tiles_url = log_->url();
  config.policy = *policy;
  auto http = api::client::CurlHttpGetter::Create();
  auto f =
      LogFollower::Create(config, mirror_.get(), std::move(*http), &clock_);
  ASSERT_TRUE(f.ok());
  // Not cosigned: not accepted, not an incident; tried again later.
  auto step = (*f)->Step();
  EXPECT_TRUE(absl::IsFailedPrecondition(step.status())) << step.status();
  EXPECT_THAT(std::string(step.status().message()), HasSubstr("missing: w1"));
  EXPECT_FALSE((*f)->stopped());
  EXPECT_EQ(*mirror_->VerifiedSize(log_->origin()), 0u);
  // Cosigned by the quorum: followed.
  log_->set_cosigner(cosigner->get());
  ASSERT_TRUE(log_->ServeLedger().ok());
  StepOutcome done = MustStep(**f);
  EXPECT_EQ(done.verified_size, log_->LedgerLeaves()->size());
}

}  // namespace
}  // namespace office
