#include "collector/agent/node_agent.h"

#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

using aifl::collector::v1::IntervalReport;
using aifl::collector::v1::RunEnded;
using aifl::collector::v1::RunStarted;

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);

class NodeAgentTest : public ::testing::Test {
 protected:
  NodeAgentTest() : clock_(kT0), agent_(MakeAgent()) {}

  NodeAgent MakeAgent() {
    AgentOptions o;
    o.cluster = "c";
    o.node = "n1";
    o.interval = absl::Seconds(60);
    std::vector<nvml::GpuDeviceInfo> devs = {
        {0, "GPU-0", "NVIDIA H100 80GB HBM3", "580.65", false},
        {1, "GPU-1", "NVIDIA H100 80GB HBM3", "580.65", true}};
    return NodeAgent(o, devs, *Pseudonymizer::Create(std::string(32, 's')),
                     &clock_);
  }

  std::string Start(const std::string& job, std::vector<std::string> gpus) {
    JobStartRequest r;
    r.job_id = job;
    r.user = "alice";
    r.gpus = std::move(gpus);
    r.model_id = "m1";
    auto id = agent_.StartJob(r);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }

  // One sample a second for `seconds` s: device 0 draws 500 W, device 1
  // 100 W; SM 50 %, tensor 25 %. `energy` false: no energy readings.
  void Run(int seconds, bool energy = true) {
    for (int s = 0; s <= seconds; ++s) {
      nvml::GpuSample sample;
      sample.time = clock_.Now();
      for (uint32_t d = 0; d < 2; ++d) {
        nvml::DeviceReading r;
        r.index = d;
        if (energy) r.energy_mj = energy0_[d] += (d == 0 ? 500000 : 100000);
        r.sm_active_pct = 50;
        r.tensor_active_pct = 25;
        sample.devices.push_back(r);
      }
      agent_.OnSample(sample);
      if (s < seconds) clock_.Advance(absl::Seconds(1));
    }
    agent_.EmitDue();
  }

  std::vector<IntervalReport> Intervals() {
    std::vector<IntervalReport> out;
    for (const Record& r : agent_.TakeRecords()) {
      if (r.payload_type != kIntervalReportType) continue;
      IntervalReport ir;
      EXPECT_TRUE(ir.ParseFromString(r.payload));
      out.push_back(ir);
    }
    return out;
  }

  common::FakeClock clock_;
  NodeAgent agent_;
  uint64_t energy0_[2] = {1000000, 2000000};
};

TEST_F(NodeAgentTest, AttributesDeviceDeltasToTheJobHoldingTheDevice) {
  Start("1", {"0"});
  Run(60);
  auto iv = Intervals();
  ASSERT_EQ(iv.size(), 1u);
  EXPECT_EQ(iv[0].run_id(), "c/1");
  EXPECT_DOUBLE_EQ(iv[0].energy_joules(), 60 * 500);
  EXPECT_DOUBLE_EQ(iv[0].gpu_seconds_allocated(), 60);
  EXPECT_DOUBLE_EQ(iv[0].gpu_seconds_active(), 30);
  EXPECT_DOUBLE_EQ(iv[0].flop().lower(), 15 * 989e12);
  EXPECT_DOUBLE_EQ(iv[0].flop().upper(), 15 * 1979e12);
  EXPECT_EQ(iv[0].device_model(), "H100-SXM");
  EXPECT_FALSE(iv[0].shared_gpu());
  EXPECT_FALSE(iv[0].mig());
  EXPECT_EQ(iv[0].missing_samples(), 0u);
  EXPECT_EQ(iv[0].model_id(), "m1");
  EXPECT_EQ(iv[0].end_unix_ms() - iv[0].start_unix_ms(), 60000);
}

TEST_F(NodeAgentTest, SplitsASharedGpuEvenlyAndMarksBothJobs) {
  Start("1", {"GPU-0"});
  Start("2", {"0", "1"});
  Run(60);
  auto iv = Intervals();
  ASSERT_EQ(iv.size(), 2u);
  double total = 0;
  for (const auto& r : iv) {
    EXPECT_TRUE(r.shared_gpu());
    total += r.energy_joules();
  }
  EXPECT_DOUBLE_EQ(iv[0].energy_joules(), 30 * 500);             // job 1
  EXPECT_DOUBLE_EQ(iv[1].energy_joules(), 30 * 500 + 60 * 100);  // job 2
  EXPECT_DOUBLE_EQ(total, 60 * 600);  // nothing counted twice
  EXPECT_TRUE(iv[1].mig());
}

TEST_F(NodeAgentTest, MissingReadingsAreCountedNeverZeroFilled) {
  Start("1", {"0"});
  Run(60, /*energy=*/false);
  auto iv = Intervals();
  ASSERT_EQ(iv.size(), 1u);
  EXPECT_FALSE(iv[0].has_energy_joules());
  EXPECT_EQ(iv[0].missing_samples(), 60u);
}

TEST_F(NodeAgentTest, CounterResetDoesNotProduceNegativeOrHugeEnergy) {
  Start("1", {"0"});
  Run(10);
  clock_.Advance(absl::Seconds(1));
  energy0_[0] = 0;  // driver reload
  Run(49);
  auto iv = Intervals();
  ASSERT_EQ(iv.size(), 1u);
  // 10 good seconds, one reset poll, then 49 good seconds.
  EXPECT_DOUBLE_EQ(iv[0].energy_joules(), 59 * 500);
  EXPECT_EQ(iv[0].missing_samples(), 1u);
}

TEST_F(NodeAgentTest, PseudonymisesUserAndEmitsRunStartedAndEnded) {
  const std::string id = Start("7", {"1"});
  Run(30);
  ASSERT_TRUE(agent_.EndJob(id, 3).ok());
  auto records = agent_.TakeRecords();
  ASSERT_EQ(records.size(), 3u);
  RunStarted s;
  ASSERT_TRUE(s.ParseFromString(records[0].payload));
  EXPECT_EQ(s.user_pseudonym().rfind("hmac-sha256:", 0), 0u);
  EXPECT_EQ(records[0].payload.find("alice"), std::string::npos);
  EXPECT_EQ(records[1].payload_type, kIntervalReportType);
  RunEnded e;
  ASSERT_TRUE(e.ParseFromString(records[2].payload));
  EXPECT_EQ(e.intervals(), 1u);
  EXPECT_EQ(e.exit_code(), 3);
  EXPECT_EQ(agent_.EndJob(id, 0).code(), absl::StatusCode::kNotFound);
}

TEST_F(NodeAgentTest, RejectsUnknownGpuAndDuplicateRun) {
  JobStartRequest r;
  r.job_id = "9";
  r.gpus = {"5"};
  EXPECT_EQ(agent_.StartJob(r).status().code(),
            absl::StatusCode::kInvalidArgument);
  Start("9", {"0"});
  r.gpus = {"0"};
  EXPECT_EQ(agent_.StartJob(r).status().code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace agent
}  // namespace collector
