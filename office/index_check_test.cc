// The monitor and an index's output log: an input log and its index's
// output log are real ledgers served as ledger_server serves them (one
// HTTP port, the output log under /index/: api/server/server_http_handler.h)
// over loopback, followed into the mirror by real followers. The follower
// replays every update before it commits it, incrementally (each input
// leaf read once); an update that lies about the map stops the output log
// with an index_mismatch incident and its evidence, the input log is still
// followed, the monitor's witness cosigns nothing more of the output log,
// and the Office records an X4 finding naming the log indexed, without
// folding the output log as a factory log.
#include "office/index_check.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/client/curl_http_getter.h"
#include "api/server/server_http_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "common/clock.h"
#include "compliance/office_rules.h"
#include "gtest/gtest.h"
#include "index/output_log.h"
#include "index/testonly/indexed_log.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "office/log_follower.h"
#include "office/mirror_log_reader.h"
#include "office/monitor.h"
#include "office/monitor_metrics.h"
#include "office/monitor_witness.h"
#include "office/office_ledger_sink.h"
#include "office/testonly/office_ledger_fixture.h"
#include "office/testonly/served_index.h"
#include "witness/trusted_logs.h"
#include "witness/witness_store.h"

namespace office {
namespace {

// The input log and its output log on one HTTP port, as ledger_server
// --index_dir --http_listen serves them: <url> and <url>/index.
testonly::ServedIndex Serve(const ledger::Ledger* input,
                            const ledger::Ledger* output) {
  absl::StatusOr<testonly::ServedIndex> served =
      testonly::ServeIndex(input, output);
  EXPECT_TRUE(served.ok()) << served.status();
  return served.ok() ? *std::move(served) : testonly::ServedIndex();
}

class IndexCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = vindex::testonly::IndexedLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    ASSERT_TRUE(log_->Grow(40).ok());
    ASSERT_TRUE(log_->Grow(25).ok());
    served_ = Serve(&log_->input().ledger(), &log_->output());
    auto mirror = Mirror::Open(ledger::testonly::FreshDir("mirror"));
    ASSERT_TRUE(mirror.ok()) << mirror.status();
    mirror_ = *std::move(mirror);
    in_cfg_ = {log_->input().ledger().origin(),
               log_->input().ledger().VerifierKey(),
               served_.url,
               "",
               {}};
    out_cfg_ = {
        log_->output().origin(),
        log_->output().VerifierKey(),
        absl::StrCat(served_.url, api::server::ServerHttpHandler::kIndexPrefix),
        "",
        {},
        in_cfg_.origin};
    in_ = NewFollower(in_cfg_);
    out_ = NewFollower(out_cfg_);

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
    auto w = witness::Witness::Create(std::move(*cosigner), std::move(*logs),
                                      store_.get(), &clock_,
                                      VerifiedUpToSize(mirror_.get()));
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = *std::move(w);
  }

  std::unique_ptr<LogFollower> NewFollower(const FollowedLog& cfg) {
    auto f = LogFollower::Create(
        cfg, mirror_.get(), *api::client::CurlHttpGetter::Create(), &clock_);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *std::move(f) : nullptr;
  }

  // Publishes both ledgers' checkpoints, then one follow step of each log
  // (input first); returns the output log's step.
  absl::StatusOr<StepOutcome> Follow() {
    EXPECT_TRUE(log_->input().ledger().PublishCheckpoint().ok());
    EXPECT_TRUE(log_->output().PublishCheckpoint().ok());
    absl::StatusOr<StepOutcome> in = in_->Step();
    EXPECT_TRUE(in.ok()) << in.status();
    EXPECT_FALSE(in.ok() && in->incident.has_value());
    return out_->Step();
  }

  // Appends one entry about `model` (ModelLog kind) to the input, then
  // publishes `lie` as of the new input size and root — an update signed by
  // the output log's enrolled rules key, so an admissible leaf — and
  // follows; returns the incident, which stops the output log at the size
  // verified before the lie, naming the lying leaf.
  LogIncident ExpectStopped(vindex::IndexState lie, const std::string& model,
                            int kind) {
    EXPECT_TRUE(Follow().ok());
    const uint64_t good = out_->verified_size();
    EXPECT_TRUE(log_->input().Append(model, kind).ok());
    auto cp = log_->input().Checkpoint();
    EXPECT_TRUE(cp.ok());
    lie.input_size = cp->size;
    lie.input_root = cp->root;
    const uint64_t lie_leaf = log_->output().Size();
    EXPECT_TRUE(log_->output_log().Publish({in_cfg_.origin, lie}).ok());
    absl::StatusOr<StepOutcome> step = Follow();
    EXPECT_TRUE(step.ok()) << step.status();
    EXPECT_TRUE(out_->stopped());
    if (!step.ok() || !step->incident.has_value()) return {};
    const LogIncident& incident = *step->incident;
    EXPECT_EQ(incident.kind, IncidentKind::kIndexMismatch);
    EXPECT_EQ(incident.stopped_at_size, good);
    EXPECT_EQ(incident.leaf_index.value_or(UINT64_MAX), lie_leaf);
    EXPECT_TRUE(absl::StrContains(incident.reason, in_cfg_.origin))
        << incident.reason;
    EXPECT_TRUE(absl::StrContains(incident.tile_url, "/index/tile/entries/"))
        << incident.tile_url;
    // The bundle as served holds the lying leaf (2-byte length prefixes).
    auto leaf = log_->output().GetLeaf(lie_leaf);
    EXPECT_TRUE(leaf.ok());
    EXPECT_TRUE(absl::StrContains(incident.tile_bytes, *leaf));
    EXPECT_FALSE(incident.offending_note.empty());
    // Kept in the mirror, and stays stopped after a restart.
    auto stored = mirror_->Incidents(out_cfg_.origin);
    EXPECT_TRUE(stored.ok());
    EXPECT_EQ(stored->size(), 1u);
    EXPECT_TRUE(NewFollower(out_cfg_)->stopped());
    return incident;
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
  testonly::ServedIndex served_;
  std::unique_ptr<Mirror> mirror_;
  FollowedLog in_cfg_, out_cfg_;
  std::unique_ptr<LogFollower> in_, out_;
  std::unique_ptr<witness::WitnessStore> store_;
  std::unique_ptr<witness::Witness> witness_;
};

TEST_F(IndexCheckTest, CosignsAnHonestOutputLogReadingEachInputLeafOnce) {
  auto step = Follow();
  ASSERT_TRUE(step.ok()) << step.status();
  ASSERT_FALSE(step->incident.has_value()) << step->incident->reason;
  ASSERT_TRUE(log_->Grow(30).ok());
  step = Follow();
  ASSERT_TRUE(step.ok()) << step.status();
  ASSERT_FALSE(step->incident.has_value()) << step->incident->reason;
  EXPECT_GT(step->new_entries, 0u);
  witness::WitnessResponse honest = Cosign();
  ASSERT_EQ(honest.status, 200) << honest.body;
  // Two steps, each replaying its new updates from where the last ended.
  const uint64_t input_size = log_->builder().state().input_size;
  ASSERT_NE(out_->index_check(), nullptr);
  EXPECT_EQ(out_->index_check()->input_leaves_read(), input_size);
  // A restarted follower rebuilds the state from the mirror once, then goes
  // on incrementally.
  out_ = NewFollower(out_cfg_);
  ASSERT_TRUE(log_->Grow(10).ok());
  step = Follow();
  ASSERT_TRUE(step.ok()) << step.status();
  ASSERT_FALSE(step->incident.has_value()) << step->incident->reason;
  EXPECT_EQ(out_->index_check()->input_leaves_read(),
            log_->builder().state().input_size);
  // (Not cosigned again here: the witness would want a consistency proof
  // from the size it cosigned above.)
  auto verified =
      mirror_->VerifiedCheckpoint(out_cfg_.origin, out_->verified_size());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->has_value());
}

TEST_F(IndexCheckTest, AWrongMapRootStopsTheOutputLogNotTheInput) {
  // One bit off the map root, over the real input size and root.
  vindex::IndexState lie = log_->builder().state();
  lie.map_root[0] ^= 1;
  const LogIncident incident = ExpectStopped(lie, "m1", 1);
  EXPECT_TRUE(absl::StrContains(incident.reason, "map root"))
      << incident.reason;
  // The monitor cosigns nothing more of the output log.
  witness::WitnessResponse refused = Cosign();
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_TRUE(absl::StrContains(refused.body, "stopped")) << refused.body;
  // The factory's own log keeps being followed.
  ASSERT_TRUE(log_->input().Append("m2", 0).ok());
  ASSERT_TRUE(log_->input().ledger().PublishCheckpoint().ok());
  auto step = in_->Step();
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_FALSE(step->incident.has_value());
  EXPECT_EQ(step->new_entries, 1u);
}

TEST_F(IndexCheckTest, AnUpdateOmittingAnEntryStopsTheOutputLog) {
  // The builder's own state before the new entry, published with the new
  // size and root: the entry is left out of its model's list, so the map
  // root differs from the replay's.
  const LogIncident incident = ExpectStopped(log_->builder().state(), "m2", 0);
  EXPECT_TRUE(absl::StrContains(incident.reason, "map root"))
      << incident.reason;
}

TEST_F(IndexCheckTest, AnUpdateBeyondWhatTheMirrorVerifiedWaits) {
  // Only the output log is followed: its updates name input sizes the
  // mirror has not verified; nothing of it is committed, nothing stopped.
  ASSERT_TRUE(log_->output().PublishCheckpoint().ok());
  const absl::Time first_seen = clock_.Now();
  auto early = out_->Step();
  EXPECT_TRUE(absl::IsUnavailable(early.status())) << early.status();
  EXPECT_TRUE(out_->last_step_waited_for_input());
  EXPECT_FALSE(out_->stopped());
  EXPECT_EQ(Cosign().status, 503);
  // The wait is kept: the first update's leaf, the size it names, nothing
  // of the input held, since the first step that saw it.
  ASSERT_TRUE(out_->index_input_wait().has_value());
  const IndexInputWait wait = *out_->index_input_wait();
  EXPECT_GT(wait.named_size, 0u);
  EXPECT_EQ(wait.held_size, 0u);
  EXPECT_EQ(wait.since, first_seen);
  clock_.Advance(absl::Seconds(7));
  EXPECT_TRUE(absl::IsUnavailable(out_->Step().status()));
  ASSERT_TRUE(out_->index_input_wait().has_value());
  EXPECT_EQ(out_->index_input_wait()->leaf, wait.leaf);
  EXPECT_EQ(out_->index_input_wait()->since, first_seen);
  EXPECT_EQ(out_->index_input_wait()->seen, first_seen + absl::Seconds(7));
  // Once the input is mirrored, the same checkpoint is followed and
  // cosigned, and nothing waits.
  auto step = Follow();
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_FALSE(step->incident.has_value());
  EXPECT_FALSE(out_->index_input_wait().has_value());
  EXPECT_FALSE(out_->last_step_waited_for_input());
  EXPECT_EQ(Cosign().status, 200);
}

// What a Monitor reported about the output log, as the binary wires it
// (monitor_main.cc: the gauges each step, an event per news).
struct Reports {
  absl::Mutex mu;
  std::vector<std::pair<IndexWaitNews, IndexInputWait>> waits
      ABSL_GUARDED_BY(mu);
  std::vector<std::string> errors ABSL_GUARDED_BY(mu);  // origins
  std::vector<LogIncident> incidents ABSL_GUARDED_BY(mu);

  // Waits up to 60 s for `done` (mu held) to hold.
  bool Await(const std::function<bool()>& done) {
    absl::MutexLock lock(&mu);
    return mu.AwaitWithTimeout(
        absl::Condition(&done, &std::function<bool()>::operator()),
        absl::Seconds(60));
  }
  size_t Count(IndexWaitNews news, uint64_t named, uint64_t held) {
    size_t n = 0;
    for (const auto& [what, w] : waits) {
      n += what == news && w.named_size == named && w.held_size == held;
    }
    return n;
  }
};

TEST_F(IndexCheckTest, AMonitorReportsAnInputNeverReachedAndNoIncident) {
  // The input served at size M; the output log's last update names N > M
  // (a static copy of the output ahead of the input's): the input never
  // gets there while it is served so.
  ASSERT_TRUE(log_->input().ledger().PublishCheckpoint().ok());
  const uint64_t held = log_->builder().state().input_size;
  ASSERT_TRUE(log_->Grow(20).ok());
  const uint64_t named = log_->builder().state().input_size;
  ASSERT_GT(named, held);
  ASSERT_TRUE(log_->output().PublishCheckpoint().ok());
  const absl::Time start = clock_.Now();

  Reports reports;
  MonitorMetrics metrics("test");
  MonitorOptions options;
  options.poll_interval = absl::Milliseconds(5);
  options.on_index_wait = [&](const std::string& origin,
                              const IndexInputWait& w, IndexWaitNews news) {
    EXPECT_EQ(origin, out_cfg_.origin);
    if (news == IndexWaitNews::kEnded) {
      metrics.IndexInputNotWaiting(origin);
    } else {
      metrics.IndexInputWaiting(origin, w.seen - w.since,
                                w.named_size - w.held_size);
    }
    absl::MutexLock lock(&reports.mu);
    reports.waits.emplace_back(news, w);
  };
  options.on_error = [&](const std::string& origin, const absl::Status&) {
    absl::MutexLock lock(&reports.mu);
    reports.errors.push_back(origin);
  };
  options.on_incident = [&](const LogIncident& i) {
    absl::MutexLock lock(&reports.mu);
    reports.incidents.push_back(i);
  };
  std::vector<std::unique_ptr<LogFollower>> followers;
  followers.push_back(std::move(in_));
  followers.push_back(std::move(out_));
  Monitor monitor(std::move(followers), options);
  monitor.Start();

  // Reported once with the sizes (N named, M held) however many steps
  // wait, first seen at the clock's time; never a follow error.
  ASSERT_TRUE(reports.Await([&] {
    return reports.Count(IndexWaitNews::kNew, named, held) +
                   reports.Count(IndexWaitNews::kOngoing, named, held) >=
               20 ||
           !reports.incidents.empty();
  }));
  {
    absl::MutexLock lock(&reports.mu);
    ASSERT_TRUE(reports.incidents.empty()) << reports.incidents[0].reason;
  }
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(reports.Await([&] {
    return !reports.waits.empty() &&
           reports.waits.back().second.seen == start + absl::Seconds(30);
  }));
  {
    absl::MutexLock lock(&reports.mu);
    EXPECT_EQ(reports.Count(IndexWaitNews::kNew, named, held), 1u);
    const IndexInputWait& last = reports.waits.back().second;
    EXPECT_EQ(last.since, start);
    EXPECT_EQ(last.named_size, named);
    EXPECT_EQ(last.held_size, held);
    EXPECT_TRUE(reports.errors.empty()) << reports.errors.front();
    EXPECT_TRUE(reports.incidents.empty());
    for (const auto& [news, w] : reports.waits) {
      EXPECT_NE(news, IndexWaitNews::kEnded);
      EXPECT_EQ(w.since, start);
    }
  }
  const std::string scrape = metrics.Scrape();
  const std::string label = absl::StrCat("{origin=\"", out_cfg_.origin, "\"} ");
  EXPECT_TRUE(absl::StrContains(
      scrape, absl::StrCat("aifl_monitor_index_input_wait_seconds", label, 30)))
      << scrape;
  EXPECT_TRUE(absl::StrContains(
      scrape, absl::StrCat("aifl_monitor_index_input_gap_entries", label,
                           named - held)))
      << scrape;

  // The input served in full: the wait ends, the output log is mirrored,
  // still no incident.
  ASSERT_TRUE(log_->input().ledger().PublishCheckpoint().ok());
  ASSERT_TRUE(reports.Await([&] {
    return !reports.waits.empty() &&
           reports.waits.back().first == IndexWaitNews::kEnded;
  }));
  monitor.Stop();
  // (The step that ended the wait committed the whole checkpoint.)
  EXPECT_EQ(*mirror_->VerifiedSize(out_cfg_.origin), log_->output().Size());
  absl::MutexLock lock(&reports.mu);
  EXPECT_EQ(reports.waits.back().second.named_size, named);
  EXPECT_TRUE(reports.incidents.empty());
  EXPECT_TRUE(mirror_->Incidents(out_cfg_.origin)->empty());
  EXPECT_TRUE(absl::StrContains(
      metrics.Scrape(),
      absl::StrCat("aifl_monitor_index_input_wait_seconds", label, 0)));
}

TEST_F(IndexCheckTest, TheOfficeRecordsAMismatchAndFoldsNoOutputLog) {
  vindex::IndexState lie = log_->builder().state();
  lie.key_count += 1;
  ExpectStopped(lie, "m0", 2);
  auto options = testonly::FreshOfficeLedger();
  ASSERT_TRUE(options.ok()) << options.status();
  options->index_logs = {out_cfg_.origin};
  auto sink = OfficeLedgerSink::Open(*options, mirror_.get());
  ASSERT_TRUE(sink.ok()) << sink.status();
  auto recorded = (*sink)->SyncAll();
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  // The output log's IndexUpdates hold no model and the output log is no
  // factory: only the input log is folded and has checkpoints recorded.
  EXPECT_EQ((*sink)->FoldedOrigins(), std::vector<std::string>{in_cfg_.origin});
  auto leaves = testonly::ReadOfficeLedger(options->ledger_dir);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  const auto checkpoints = testonly::FactoryCheckpoints(*leaves);
  ASSERT_FALSE(checkpoints.empty());
  for (const auto& cp : checkpoints) EXPECT_EQ(cp.origin(), in_cfg_.origin);
  // One X4 finding for the output log, naming the log it indexes.
  const auto x4 = testonly::FindingsOf(*leaves, compliance::kLogStoppedRule);
  ASSERT_EQ(x4.size(), 1u);
  ASSERT_EQ(x4[0].evidence_origins_size(), 1);
  EXPECT_EQ(x4[0].evidence_origins(0), out_cfg_.origin);
  EXPECT_TRUE(absl::StrContains(x4[0].message(), "(index_mismatch)"))
      << x4[0].message();
  EXPECT_TRUE(absl::StrContains(x4[0].message(), in_cfg_.origin))
      << x4[0].message();
}

TEST(MirrorLogReaderTest, ReadsTheVerifiedTreeAndServesNoProofs) {
  auto log = vindex::testonly::IndexedLog::Create();
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Grow(20).ok());
  ASSERT_TRUE((*log)->input().ledger().PublishCheckpoint().ok());
  testonly::ServedIndex in = Serve(&(*log)->input().ledger(), nullptr);
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
