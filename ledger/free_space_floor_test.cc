#include "ledger/free_space_floor.h"

#include <atomic>

#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

constexpr uint64_t kMiB = 1 << 20;

TEST(FreeSpaceFloorTest, RefusesBelowTheFloorAndMeasuresAtMostOncePerRecheck) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  uint64_t free_bytes = 100 * kMiB;
  int probes = 0;
  FreeSpaceFloor floor("/data", 64 * kMiB, absl::Milliseconds(100), &clock,
                       [&]() -> absl::StatusOr<uint64_t> {
                         ++probes;
                         return free_bytes;
                       });
  EXPECT_TRUE(floor.Check().ok());
  free_bytes = 10 * kMiB;
  EXPECT_TRUE(floor.Check().ok());  // measured 0 ms ago
  EXPECT_EQ(probes, 1);
  clock.Advance(absl::Milliseconds(100));
  absl::Status low = floor.Check();
  EXPECT_EQ(low.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(low.message().find("/data: 10.0 MiB, below the floor of 64.0 MiB"),
            std::string::npos)
      << low;
  EXPECT_EQ(probes, 2);
  free_bytes = 64 * kMiB;  // space freed: appends resume
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(floor.Check().ok());
}

TEST(FreeSpaceFloorTest, AProbeErrorIsReported) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  FreeSpaceFloor floor("/data", 1, absl::ZeroDuration(), &clock, [] {
    return absl::StatusOr<uint64_t>(absl::UnavailableError("statvfs: EIO"));
  });
  EXPECT_EQ(floor.Check().code(), absl::StatusCode::kUnavailable);
}

TEST(FreeSpaceFloorTest, StatvfsMeasuresARealFolder) {
  auto free_bytes = StatvfsFreeBytes(testonly::FreshDir("statvfs"));
  ASSERT_TRUE(free_bytes.ok()) << free_bytes.status();
  EXPECT_GT(*free_bytes, 0u);
  EXPECT_FALSE(StatvfsFreeBytes("/no/such/folder").ok());
}

TEST(FreeSpaceFloorTest, LedgerRefusesAppendsBelowTheFloorAndKeepsReading) {
  auto f = std::move(*testonly::LedgerFixture::Create());
  auto collector = std::move(*f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  ASSERT_TRUE(f->ledger().PublishCheckpoint().ok());
  f->Close();
  std::atomic<uint64_t> free_bytes{1024 * kMiB};
  LedgerOptions options;
  options.dir = f->dir();
  options.clock = &f->clock();
  options.min_free_bytes = 256 * kMiB;
  options.free_space_recheck = absl::ZeroDuration();
  options.free_space_probe = [&]() -> absl::StatusOr<uint64_t> {
    return free_bytes.load();
  };
  auto ledger = Ledger::Open(options);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  const char kType[] = "aifl.collector.v1.IntervalReport";
  ASSERT_TRUE(
      (*ledger)->Append({*collector->SignNext(kType, "a")})[0].status.ok());
  const uint64_t size = (*ledger)->Size();

  free_bytes = 100 * kMiB;
  const std::string refused = *collector->SignNext(kType, "b");
  AppendResult r = (*ledger)->Append({refused})[0];
  EXPECT_EQ(r.status.code(), absl::StatusCode::kResourceExhausted) << r.status;
  EXPECT_EQ((*ledger)->Size(), size);
  // Reads and checkpoints of what is there go on.
  EXPECT_TRUE((*ledger)->GetLeaf(size - 1).ok());
  EXPECT_TRUE((*ledger)->InclusionProof(0, size).ok());
  EXPECT_TRUE((*ledger)->PublishCheckpoint().ok());

  free_bytes = 300 * kMiB;
  r = (*ledger)->Append({refused})[0];
  EXPECT_TRUE(r.status.ok()) << r.status;  // the same sequence, now accepted
}

}  // namespace
}  // namespace ledger
