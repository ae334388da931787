#include "collector/nvml/replay_gpu_source.h"

#include "gtest/gtest.h"

namespace collector {
namespace nvml {
namespace {

constexpr char kReplay[] = R"(aifl-replay v1
# two H100s
device 0 GPU-aaaa 0 580.65.06 NVIDIA H100 80GB HBM3
device 1 GPU-bbbb 1 580.65.06 NVIDIA H100 80GB HBM3
job-start 1000 job=42 gpus=0,1 user=alice
1000 0 5000 - -
1000 1 7000 10 5
2000 0 - 50.5 20
job-end 3000 run=c/42 exit=0
)";

TEST(ReplayGpuSourceTest, ParsesDevicesSamplesAndJobEvents) {
  auto file = ParseReplay(kReplay);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->devices.size(), 2u);
  EXPECT_EQ(file->devices[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_TRUE(file->devices[1].mig);
  ASSERT_EQ(file->job_events.size(), 2u);
  EXPECT_EQ(file->job_events[0].fields.at("gpus"), "0,1");
  EXPECT_EQ(file->job_events[1].kind, ReplayJobEvent::kEnd);

  ReplayGpuSource source(*std::move(file));
  EXPECT_EQ(*source.PeekTime(), absl::FromUnixMillis(1000));
  auto s1 = source.Sample();
  ASSERT_TRUE(s1.ok());
  ASSERT_EQ(s1->devices.size(), 2u);
  EXPECT_EQ(*s1->devices[0].energy_mj, 5000u);
  EXPECT_FALSE(s1->devices[0].sm_active_pct.has_value());
  auto s2 = source.Sample();
  ASSERT_TRUE(s2.ok());
  EXPECT_FALSE(s2->devices[0].energy_mj.has_value());  // "-": never zero
  EXPECT_DOUBLE_EQ(*s2->devices[0].sm_active_pct, 50.5);
  EXPECT_EQ(source.Sample().status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ReplayGpuSourceTest, RejectsMalformedLinesWithLineNumber) {
  auto bad =
      ParseReplay("aifl-replay v1\ndevice 0 GPU-a 0 1 X\n1000 0 abc - -\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos);
  EXPECT_FALSE(ParseReplay("aifl-replay v1\n1000 3 1 - -\n").ok());
  EXPECT_FALSE(ParseReplay("garbage\n").ok());
  EXPECT_FALSE(
      ParseReplay(
          "aifl-replay v1\ndevice 0 G 0 1 X\n2000 0 1 - -\n1000 0 1 - -\n")
          .ok());
}

}  // namespace
}  // namespace nvml
}  // namespace collector
