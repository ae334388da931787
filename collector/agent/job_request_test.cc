#include "collector/agent/job_request.h"

#include "collector/agent/pseudonym.h"
#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

TEST(JobRequestTest, ParsesSlurmEnvironment) {
  auto r = ParseSlurmEnv({{"SLURM_JOB_ID", "123"},
                          {"SLURM_STEP_ID", "0"},
                          {"SLURM_JOB_ACCOUNT", "proj"},
                          {"SLURM_JOB_USER", "bob"},
                          {"CUDA_VISIBLE_DEVICES", "0,1,GPU-x"},
                          {"AIFL_PURPOSE", "FINE_TUNING"},
                          {"AIFL_PLANNED_FLOP", "1e24"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(RunId("c", *r), "c/123.0");
  EXPECT_EQ(r->gpus, (std::vector<std::string>{"0", "1", "GPU-x"}));
  EXPECT_EQ(r->purpose, aifl::common::v1::FINE_TUNING);
  EXPECT_DOUBLE_EQ(r->planned_compute_flop, 1e24);
  EXPECT_EQ(r->user, "bob");
}

TEST(JobRequestTest, SlurmJobGpusWinsOverCudaVisibleDevices) {
  auto r = ParseSlurmEnv({{"SLURM_JOB_ID", "1"},
                          {"SLURM_JOB_GPUS", "4,5"},
                          {"CUDA_VISIBLE_DEVICES", "0,1"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->gpus, (std::vector<std::string>{"4", "5"}));
}

TEST(JobRequestTest, RejectsMissingJobOrGpusAndBadFields) {
  EXPECT_FALSE(ParseSlurmEnv({{"SLURM_JOB_ID", "1"}}).ok());
  EXPECT_FALSE(ParseJobFields({{"gpus", "0"}}).ok());
  EXPECT_FALSE(
      ParseJobFields({{"job", "1"}, {"gpus", "0"}, {"purpose", "X"}}).ok());
  EXPECT_FALSE(
      ParseJobFields({{"job", "1"}, {"gpus", "0"}, {"colour", "x"}}).ok());
  EXPECT_TRUE(
      ParseJobFields({{"job", "1"}, {"gpus", "0"}, {"budget", "3e20"}}).ok());
}

TEST(PseudonymTest, IsKeyedStableAndHidesTheName) {
  auto a = Pseudonymizer::Create(std::string(32, 'a'));
  auto b = Pseudonymizer::Create(std::string(32, 'b'));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Pseudonymize("alice"), a->Pseudonymize("alice"));
  EXPECT_NE(a->Pseudonymize("alice"), b->Pseudonymize("alice"));
  EXPECT_EQ(a->Pseudonymize("alice").find("alice"), std::string::npos);
  EXPECT_EQ(a->Pseudonymize("alice").size(), 12u + 64u);
  EXPECT_EQ(a->Pseudonymize(""), "");
  EXPECT_EQ(Pseudonymizer::Create("short").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agent
}  // namespace collector
