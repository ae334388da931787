// The agent's loop end to end without a GPU or a ledger: a scripted NVML
// (FakeNvml) behind the real NvmlGpuSource, the real NodeAgent, control
// folder, Spool and SpoolShipper, a fake ledger, and a fake clock that the
// daemon loop's injected sleep advances.
#include "collector/agent/agent_step.h"

#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/agent/agent_metrics.h"
#include "collector/agent/daemon_loop.h"
#include "collector/agent/node_agent.h"
#include "collector/agent/pseudonym.h"
#include "collector/nvml/nvml_gpu_source.h"
#include "collector/nvml/testonly/fake_nvml_functions.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"
#include "collector/spool/testonly/fakes.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "schema/collector.pb.h"

namespace collector {
namespace agent {
namespace {

using aifl::collector::v1::IntervalReport;
using nvml::testonly::FakeNvml;

constexpr char kGpu[] = "GPU-00000000-0000-4000-8000-000000000000";

std::string TempDir(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

// One node: the parts of AgentStep, each real except NVML and the ledger.
class AgentStepTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Build(1 << 30)); }

  // `spool_bytes`: the spool's bound; `interval`: IntervalReport length.
  void Build(uint64_t spool_bytes,
             absl::Duration interval = absl::Seconds(60)) {
    const std::string dir = TempDir(absl::StrCat(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-",
        spool_bytes));
    spool_dir_ = dir + "/spool";
    ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0) << dir;
    auto source = nvml::NvmlGpuSource::Create(fake_.Functions(), &clock_);
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *std::move(source);
    AgentOptions o;
    o.cluster = "c";
    o.node = "n1";
    o.interval = interval;
    agent_ = std::make_unique<NodeAgent>(
        o, *source_->ListDevices(),
        *Pseudonymizer::Create(std::string(32, 'k')), &clock_);
    spool::SpoolOptions so;
    so.max_bytes = spool_bytes;
    so.log = [](const std::string&) {};
    auto opened = spool::Spool::Open(spool_dir_, so);
    ASSERT_TRUE(opened.ok()) << opened.status();
    spool_ = *std::move(opened);
    spool::ShipOptions ship;
    ship.log = [](const std::string&) {};
    shipper_ = std::make_unique<spool::SpoolShipper>(
        spool_.get(), &signer_, &ledger_, &verifier_, &clock_, ship);
    control_ = std::make_unique<ControlDir>(dir + "/control");
    AgentStepParts parts;
    parts.agent = agent_.get();
    parts.source = source_.get();
    parts.spool = spool_.get();
    parts.shipper = shipper_.get();
    parts.control = control_.get();
    parts.observe = [this](const Record&) { ++observed_; };
    parts.report = [this](const absl::Status& s) { reported_.push_back(s); };
    step_ = std::make_unique<AgentStep>(std::move(parts));
  }

  void SubmitStart(const std::string& job) {
    ASSERT_TRUE(
        control_->SubmitStart({{"job", job}, {"gpus", "0"}}, nullptr).ok());
  }
  void SubmitEnd(const std::string& job) {
    ASSERT_TRUE(control_->SubmitEnd({{"run", "c/" + job}, {"exit", "0"}}).ok());
  }

  // The daemon loop for `seconds` steps; between steps the GPU works one
  // second at `watts` and `before_step(i)` may script the world.
  uint64_t RunSeconds(int seconds, double watts,
                      std::function<void(int)> before_step = nullptr) {
    int i = 0;
    DaemonLoopOptions o;
    o.clock = &clock_;
    o.sleep = [&](absl::Duration d) {
      clock_.Advance(d);
      fake_.Run(0, absl::ToDoubleSeconds(d), watts, 90, 45);
    };
    o.stop = [&] {
      if (i == seconds) return true;
      if (before_step) before_step(i);
      ++i;
      return false;
    };
    o.metrics = &metrics_;
    o.spool_dir = spool_dir_;
    return RunDaemonLoop(step_.get(), o);
  }

  // The IntervalReports the fake ledger received, by run.
  std::map<std::string, std::vector<IntervalReport>> Shipped() {
    std::map<std::string, std::vector<IntervalReport>> out;
    for (const auto& [envelope, times] : ledger_.received) {
      const std::string prefix = "|aifl.collector.v1.IntervalReport|";
      const size_t at = envelope.find(prefix);
      if (at == std::string::npos) continue;
      IntervalReport ir;
      EXPECT_TRUE(ir.ParseFromString(envelope.substr(at + prefix.size())));
      out[ir.run_id()].push_back(ir);
    }
    return out;
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  FakeNvml fake_{{{kGpu}}};
  std::unique_ptr<nvml::NvmlGpuSource> source_;
  std::unique_ptr<NodeAgent> agent_;
  std::string spool_dir_;
  std::unique_ptr<spool::Spool> spool_;
  spool::FakeSigner signer_;
  spool::FakeShipper ledger_;
  spool::FakeReceiptVerifier verifier_;
  std::unique_ptr<spool::SpoolShipper> shipper_;
  std::unique_ptr<ControlDir> control_;
  std::unique_ptr<AgentStep> step_;
  AgentMetrics metrics_;
  size_t observed_ = 0;
  std::vector<absl::Status> reported_;
};

TEST_F(AgentStepTest, DaemonSamplesSpoolsAndShipsEveryStep) {
  SubmitStart("7");
  EXPECT_EQ(RunSeconds(120, 500), 120u);
  SubmitEnd("7");
  RunSeconds(2, 500);
  EXPECT_TRUE(reported_.empty()) << reported_[0];
  EXPECT_EQ(spool_->pending_count() + spool_->sealed_count(), 0u);
  EXPECT_EQ(ledger_.received.size(), observed_) << "every record shipped once";
  // Polls at 0..119 s; the end (applied at 120 s, before that poll) emits
  // the second minute.
  const auto shipped = Shipped();
  ASSERT_EQ(shipped.count("c/7"), 1u);
  double joules = 0, active = 0;
  for (const IntervalReport& ir : shipped.at("c/7")) {
    joules += ir.energy_joules();
    active += ir.gpu_seconds_active();
  }
  EXPECT_EQ(shipped.at("c/7").size(), 2u);
  // The first poll only baselines the counter and primes GPM; each later
  // one adds 500 J and 0.9 s of SM activity.
  EXPECT_NEAR(joules, 119 * 500, 1e-6);
  EXPECT_NEAR(active, 119 * 0.9, 1e-6) << "GPM SM-active";
  const std::string scrape = metrics_.Scrape();
  EXPECT_TRUE(absl::StrContains(scrape, "aifl_collector_samples_total 122"))
      << scrape;
  EXPECT_TRUE(absl::StrContains(scrape, "aifl_collector_jobs_running 0"));
}

TEST_F(AgentStepTest, GpuResetIsNeverCountedAsEnergy) {
  SubmitStart("8");
  // The GPU falls off the bus at step 20 and comes back reset (counters
  // from zero) at step 25.
  RunSeconds(60, 400, [this](int i) {
    if (i == 20) fake_.Lose(0);
    if (i == 25) fake_.Return(0);
  });
  SubmitEnd("8");
  RunSeconds(1, 400);
  const auto shipped = Shipped();
  ASSERT_EQ(shipped.count("c/8"), 1u);
  double joules = 0;
  uint32_t missing = 0;
  for (const IntervalReport& ir : shipped.at("c/8")) {
    EXPECT_GE(ir.energy_joules(), 0);
    joules += ir.energy_joules();
    missing += ir.missing_samples();
  }
  // Polls at 0..59 s: the first baselines; 20-24 find the GPU lost; 25
  // finds the counter restarted (a decrease: no energy, rebaseline). The
  // other 53 polls carry 400 J each; the reset is never counted.
  EXPECT_EQ(missing, 6u);
  EXPECT_NEAR(joules, 53 * 400.0, 1e-6);
}

TEST_F(AgentStepTest, ARecordTheSpoolCannotTakeWaitsInOrder) {
  // A small spool and a ledger that is down: the spool fills up; the step
  // keeps the rest in memory, in order, and loses nothing. (Hour-long
  // intervals: only RunStarted records, which the spool never merges.)
  ASSERT_NO_FATAL_FAILURE(Build(4096, absl::Hours(1)));
  ledger_.down = true;
  for (int j = 0; j < 40; ++j) SubmitStart(absl::StrCat(100 + j));
  RunSeconds(3, 300);
  EXPECT_GT(step_->queued(), 0u);
  const size_t waiting = step_->queued();
  StepResult r = step_->Step();
  EXPECT_EQ(r.spool.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(step_->queued(), waiting) << "ledger down: no room made";
  ledger_.down = false;
  clock_.Advance(absl::Minutes(10));  // past the backoff
  for (int i = 0;
       i < 200 && (step_->queued() > 0 ||
                   spool_->pending_count() + spool_->sealed_count() > 0);
       ++i) {
    clock_.Advance(absl::Seconds(1));
    r = step_->Step();
  }
  EXPECT_EQ(step_->queued(), 0u);
  EXPECT_TRUE(r.spool.ok()) << r.spool;
  EXPECT_EQ(observed_, 40u);
  EXPECT_EQ(ledger_.received.size(), observed_) << "nothing lost";
  // Shipped in the order the agent emitted them: sequence numbers follow
  // the 40 RunStarted records' job ids.
  std::map<uint64_t, std::string> by_sequence;
  for (const auto& [envelope, times] : ledger_.received) {
    by_sequence[std::stoull(envelope.substr(0, envelope.find('|')))] = envelope;
  }
  int next_job = 100;
  for (const auto& [seq, envelope] : by_sequence) {
    if (!absl::StrContains(envelope, "RunStarted")) continue;
    EXPECT_TRUE(absl::StrContains(envelope, absl::StrCat("c/", next_job)))
        << seq;
    ++next_job;
  }
  EXPECT_EQ(next_job, 140);
}

TEST_F(AgentStepTest, BadRequestsAreReportedAndTheLoopGoesOn) {
  ASSERT_TRUE(control_->SubmitStart({{"job", "9"}, {"gpus", "5"}}, nullptr)
                  .ok());  // no GPU 5 on this node
  SubmitStart("9b");
  ledger_.call_error = absl::PermissionDeniedError("key not enrolled");
  RunSeconds(1, 300);
  EXPECT_EQ(shipper_->stats().held, 1u) << "the RunStarted of 9b";
  ASSERT_EQ(reported_.size(), 1u) << "a hold is the shipper's to log";
  EXPECT_EQ(reported_[0].code(), absl::StatusCode::kInvalidArgument);
  ledger_.call_error = absl::UnavailableError("ledger overloaded");
  clock_.Advance(absl::Minutes(10));
  SubmitStart("10");
  StepResult r = step_->Step();
  EXPECT_TRUE(r.poll.ok());
  EXPECT_TRUE(r.shipped);
  EXPECT_EQ(r.ship.code(), absl::StatusCode::kUnavailable);
  ASSERT_EQ(reported_.size(), 2u);
  EXPECT_EQ(reported_[1].code(), absl::StatusCode::kUnavailable);
}

TEST_F(AgentStepTest, AFailedPollCountsAsMissingNeverZero) {
  SubmitStart("11");
  RunSeconds(30, 200, [this](int i) {
    if (i >= 10 && i < 15) {
      fake_.FailNext(FakeNvml::Entry::kGetEnergy, NVML_ERROR_UNKNOWN);
    }
  });
  SubmitEnd("11");
  RunSeconds(1, 200);
  double joules = 0;
  uint32_t missing = 0;
  for (const IntervalReport& ir : Shipped().at("c/11")) {
    joules += ir.energy_joules();
    missing += ir.missing_samples();
  }
  EXPECT_EQ(missing, 5u);
  // Polls at 0..29 s. The baseline is kept across the gap (6 s < max_gap):
  // the next reading carries the energy, so none is lost.
  EXPECT_NEAR(joules, 29 * 200, 1e-6);
}

}  // namespace
}  // namespace agent
}  // namespace collector
