// collector_bench: kernel aggregation throughput (records/s on one core) and
// the cost of one poll+attribute tick for 8 GPUs fed by the replay source.
//   bazel run -c opt --config=bench //collector:collector_bench
#include <random>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "collector/agent/node_agent.h"
#include "collector/kernels/kernel_aggregator.h"
#include "collector/nvml/replay_gpu_source.h"
#include "common/clock.h"

namespace {

using collector::kernels::KernelAggregator;
using collector::kernels::KernelRecord;

void BM_KernelAggregation(benchmark::State& state) {
  // Realistic stream: 8 devices, kernels of 5..200 us, mostly back to back,
  // slight reordering within a buffer.
  std::mt19937_64 rng(42);
  std::vector<KernelRecord> records(1 << 16);
  uint64_t t[8] = {0};
  for (size_t i = 0; i < records.size(); ++i) {
    const uint32_t dev = i % 8;
    const uint64_t len = 5000 + rng() % 195000;
    const uint64_t start = t[dev] + rng() % 2000;
    t[dev] = start + len;
    records[i] = {start, start + len, dev, static_cast<uint32_t>(rng() % 64),
                  (rng() % 3) == 0};
  }
  KernelAggregator agg;
  uint64_t offset = 0;
  for (auto _ : state) {
    for (const KernelRecord& r : records) {
      agg.Add({r.start_ns + offset, r.end_ns + offset, r.device, r.name_id,
               r.tensor});
    }
    offset += t[0] + 1000000;
    if (state.iterations() % 64 == 0) benchmark::DoNotOptimize(agg.Take());
  }
  state.SetItemsProcessed(state.iterations() * records.size());
}
BENCHMARK(BM_KernelAggregation);

void BM_PollAndAttribute8Gpus(benchmark::State& state) {
  std::string text = "aifl-replay v1\n";
  for (int d = 0; d < 8; ++d) {
    absl::StrAppend(&text, "device ", d, " GPU-", d,
                    " 0 580.65.06 NVIDIA H100 80GB HBM3\n");
  }
  const int64_t t0 = 1700000000000;
  for (int s = 0; s < 600; ++s) {
    for (int d = 0; d < 8; ++d) {
      absl::StrAppend(&text, t0 + s * 1000, " ", d, " ", 1000000 + s * 650000,
                      " 85 42\n");
    }
  }
  collector::nvml::ReplayGpuSource source(*collector::nvml::ParseReplay(text));
  common::FakeClock clock(absl::FromUnixMillis(t0));
  collector::agent::AgentOptions o;
  collector::agent::NodeAgent agent(
      o, *source.ListDevices(),
      *collector::agent::Pseudonymizer::Create(std::string(32, 'b')), &clock);
  for (int j = 0; j < 4; ++j) {  // 4 jobs of 2 GPUs each
    collector::agent::JobStartRequest r;
    r.job_id = absl::StrCat(j);
    r.gpus = {absl::StrCat(2 * j), absl::StrCat(2 * j + 1)};
    (void)agent.StartJob(r);
  }
  for (auto _ : state) {
    auto sample = source.Sample();
    if (!sample.ok()) {
      source.Rewind();
      sample = source.Sample();
    }
    clock.Set(sample->time);
    agent.OnSample(*sample);
    agent.EmitDue();
    benchmark::DoNotOptimize(agent.TakeRecords());
  }
}
BENCHMARK(BM_PollAndAttribute8Gpus);

}  // namespace
