#include "collector/agent/replay_driver.h"

#include <cstdlib>
#include <memory>

#include "collector/agent/agent_step.h"
#include "collector/spool/spool.h"
#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

using aifl::collector::v1::IntervalReport;
using aifl::collector::v1::RunEnded;

// testdata/two_jobs.replay: job 1 on GPU 0 for 130 s at 600 W with SM 80 %
// and tensor 40 % (one missing energy reading at t=50 s); job 2 on GPU 1 for
// 60 s at 300 W without GPM counters.
TEST(ReplayDriverTest, RecordedNodeProducesExpectedTotals) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  ASSERT_NE(srcdir, nullptr);
  auto file = nvml::ReadReplayFile(
      std::string(srcdir) +
      "/ai_factory_ledger/collector/agent/testdata/two_jobs.replay");
  ASSERT_TRUE(file.ok()) << file.status();
  nvml::ReplayGpuSource source(*std::move(file));
  common::FakeClock clock(absl::UnixEpoch());
  AgentOptions o;
  o.cluster = "c";
  o.node = "n1";
  o.interval = absl::Seconds(60);
  NodeAgent agent(o, *source.ListDevices(),
                  *Pseudonymizer::Create(std::string(32, 'k')), &clock);
  auto spool = spool::Spool::Open(std::string(std::getenv("TEST_TMPDIR")) +
                                  "/replay_spool");
  ASSERT_TRUE(spool.ok()) << spool.status();
  AgentStepParts parts;
  parts.agent = &agent;
  parts.spool = spool->get();
  size_t observed = 0;
  parts.observe = [&observed](const Record&) { ++observed; };
  ASSERT_TRUE(RunReplay(&source, &clock, "c", std::move(parts)).ok());
  // Everything the agent emitted is spooled, in order.
  auto records = (*spool)->All();
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), observed);
  std::map<std::string, double> energy, flop_low, flop_high, alloc;
  std::map<std::string, int> intervals, missing, ended;
  for (const spool::SpoolEntry& r : *records) {
    EXPECT_FALSE(r.sealed);
    if (r.payload_type == kIntervalReportType) {
      IntervalReport ir;
      ASSERT_TRUE(ir.ParseFromString(r.bytes));
      energy[ir.run_id()] += ir.energy_joules();
      alloc[ir.run_id()] += ir.gpu_seconds_allocated();
      flop_low[ir.run_id()] += ir.flop().lower();
      flop_high[ir.run_id()] += ir.flop().upper();
      missing[ir.run_id()] += ir.missing_samples();
      intervals[ir.run_id()]++;
    } else if (r.payload_type == kRunEndedType) {
      RunEnded e;
      ASSERT_TRUE(e.ParseFromString(r.bytes));
      ended[e.run_id()] = e.intervals();
    }
  }
  // Job 1: samples t=1..129 s (the end at t=130 is applied before that
  // sample) at 600 W; the missing reading's energy is carried by the next
  // one, so nothing is lost.
  EXPECT_NEAR(energy["c/1"], 129 * 600, 1e-6);
  EXPECT_NEAR(alloc["c/1"], 129, 1e-9);
  EXPECT_EQ(missing["c/1"], 1);
  EXPECT_NEAR(flop_low["c/1"], 129 * 0.4 * 989e12, 1e6);
  EXPECT_NEAR(flop_high["c/1"], 129 * 0.4 * 1979e12, 1e6);
  EXPECT_EQ(intervals["c/1"], 3);  // 60 + 60 + 10 s
  EXPECT_EQ(ended["c/1"], 3);
  // Job 2: samples up to t=59 s belong to it (the end at t=60 comes first).
  EXPECT_NEAR(energy["c/2"], 59 * 300, 1e-6);
  EXPECT_NEAR(flop_high["c/2"], 59 * 1979e12, 1e6);  // busy-time fallback
  EXPECT_EQ(flop_low["c/2"], 0);
  EXPECT_EQ(ended["c/2"], 1);
}

TEST(ReplayDriverTest, AFullSpoolEndsTheReplay) {
  // The daemon keeps what the spool cannot take and offers it again; a
  // replay has nothing to wait for, so it stops and says why.
  auto file = nvml::ParseReplay(
      "aifl-replay v1\n"
      "device 0 GPU-0 0 550.54 NVIDIA H100 80GB HBM3\n"
      "job-start 0 job=1 gpus=0\n"
      "job-start 0 job=2 gpus=0\n"
      "1000 0 5000 - -\n");
  ASSERT_TRUE(file.ok()) << file.status();
  nvml::ReplayGpuSource source(*std::move(file));
  common::FakeClock clock(absl::UnixEpoch());
  NodeAgent agent({}, *source.ListDevices(),
                  *Pseudonymizer::Create(std::string(32, 'k')), &clock);
  spool::SpoolOptions so;
  so.max_bytes = 200;  // about one RunStarted record
  so.log = [](const std::string&) {};
  auto spool = spool::Spool::Open(
      std::string(std::getenv("TEST_TMPDIR")) + "/full_spool", so);
  ASSERT_TRUE(spool.ok()) << spool.status();
  AgentStepParts parts;
  parts.agent = &agent;
  parts.spool = spool->get();
  EXPECT_EQ(RunReplay(&source, &clock, "c", std::move(parts)).code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace agent
}  // namespace collector
