#include "collector/spool/spool.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "collector/spool/spool_file.h"
#include "collector/spool/testonly/fakes.h"
#include "common/read_file.h"
#include "gtest/gtest.h"
#include "schema/collector.pb.h"

namespace collector {
namespace spool {
namespace {

using aifl::collector::v1::IntervalReport;

std::string TestDir(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

std::string Interval(const std::string& run, int index, double joules) {
  IntervalReport r;
  r.set_run_id(run);
  r.set_node("n1");
  r.set_interval_index(index);
  r.set_start_unix_ms(index * 1000);
  r.set_end_unix_ms((index + 1) * 1000);
  r.set_gpu_seconds_allocated(8);
  r.set_energy_joules(joules);
  r.mutable_flop()->set_upper(10);
  r.set_merged_intervals(1);
  return r.SerializeAsString();
}

TEST(SpoolTest, EnqueuedRecordsSurviveReopenInOrder) {
  const std::string dir = TestDir("reopen");
  {
    auto s = Spool::Open(dir);
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_TRUE((*s)->Enqueue("t", "a").ok());
    ASSERT_TRUE((*s)->Enqueue("t", "b").ok());
  }
  auto s = Spool::Open(dir);
  ASSERT_TRUE(s.ok());
  auto all = (*s)->All();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].bytes, "a");
  EXPECT_EQ((*all)[1].bytes, "b");
  EXPECT_FALSE((*all)[0].sealed);
}

TEST(SpoolTest, SealSignsOldestFirstAndKeepsEnvelopeBytes) {
  auto s = Spool::Open(TestDir("seal"));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Enqueue("t", "a").ok());
  ASSERT_TRUE((*s)->Enqueue("t", "b").ok());
  FakeSigner signer;
  ASSERT_EQ(*(*s)->Seal(&signer, 1), 1u);
  auto sealed = (*s)->Sealed(10);
  ASSERT_TRUE(sealed.ok());
  ASSERT_EQ(sealed->size(), 1u);
  EXPECT_EQ((*sealed)[0].bytes, "1|t|a");
  EXPECT_EQ((*s)->pending_count(), 1u);
  signer.fail = true;
  EXPECT_EQ((*s)->Seal(&signer, 5).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ((*s)->pending_count(), 1u);  // nothing lost on signer failure
}

TEST(SpoolTest, RecoveryDeletesTornTmpAndSupersededFiles) {
  const std::string dir = TestDir("recover");
  {
    auto s = Spool::Open(dir);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Enqueue("t", "a").ok());  // id 1
  }
  // A crash mid-write left a torn tmp; a crash after a seal left both the
  // pending record and its envelope.
  std::ofstream(dir + "/pending/00000000000000000002.rec.tmp") << "torn";
  SpoolFile env{7, "t", {1}, "1|t|a"};
  ASSERT_TRUE(WriteFileDurably(dir + "/sealed", "00000000000000000007.env",
                               EncodeSpoolFile(env))
                  .ok());
  std::ofstream(dir + "/pending/00000000000000000003.rec") << "garbage";
  auto s = Spool::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status();
  auto all = (*s)->All();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_TRUE((*all)[0].sealed);
  EXPECT_EQ((*all)[0].bytes, "1|t|a");
  EXPECT_TRUE(std::ifstream(dir + "/corrupt/00000000000000000003.rec").good());
}

TEST(SpoolTest, MergesIntervalsOfTheSameRunNearTheBoundInsteadOfDropping) {
  std::vector<std::string> logs;
  SpoolOptions o;
  o.max_bytes = 2000;
  o.merge_at = 0.5;
  o.log = [&](const std::string& m) { logs.push_back(m); };
  auto s = Spool::Open(TestDir("merge"), o);
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 30; ++i) {
    const std::string run = i % 2 ? "c/1" : "c/2";
    ASSERT_TRUE((*s)->Enqueue("aifl.collector.v1.IntervalReport",
                              Interval(run, i / 2, 100))
                    .ok())
        << i;
  }
  EXPECT_GT((*s)->merged_records(), 0u);
  EXPECT_LE((*s)->bytes(), o.max_bytes);
  EXPECT_FALSE(logs.empty());
  auto all = (*s)->All();
  ASSERT_TRUE(all.ok());
  double joules = 0, allocated = 0;
  uint32_t intervals = 0;
  for (const SpoolEntry& e : *all) {
    IntervalReport r;
    ASSERT_TRUE(r.ParseFromString(e.bytes));
    joules += r.energy_joules();
    allocated += r.gpu_seconds_allocated();
    intervals += r.merged_intervals();
  }
  EXPECT_DOUBLE_EQ(joules, 30 * 100);  // nothing dropped
  EXPECT_DOUBLE_EQ(allocated, 30 * 8);
  EXPECT_EQ(intervals, 30u);
}

TEST(SpoolTest, FullSpoolRefusesWithResourceExhausted) {
  SpoolOptions o;
  o.max_bytes = 200;
  o.log = [](const std::string&) {};
  auto s = Spool::Open(TestDir("full"), o);
  ASSERT_TRUE(s.ok());
  absl::Status st;
  for (int i = 0; i < 20 && st.ok(); ++i) {
    st = (*s)->Enqueue("t", std::string(40, 'x'));
  }
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
}

TEST(SpoolTest, RejectedFilesAreNeverOverwritten) {
  const std::string dir = TestDir("rejected_unique");
  auto s = Spool::Open(dir);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Enqueue("t", "a").ok());  // id 1
  FakeSigner signer;
  ASSERT_EQ(*(*s)->Seal(&signer, 1), 1u);  // sealed id 2
  const std::string kept = "00000000000000000002.env";
  // Refused: the original is kept, the marker takes its place in sealed/.
  auto original = (*s)->ReplaceSealed(2, "m", "1|m|marker");
  ASSERT_TRUE(original.ok()) << original.status();
  EXPECT_EQ(*original, kept);
  // The marker is refused too, under the same id: it must not replace the
  // original measurement.
  auto marker = (*s)->Reject(2);
  ASSERT_TRUE(marker.ok()) << marker.status();
  EXPECT_EQ(*marker, "00000000000000000002.1.env");
  EXPECT_EQ(
      DecodeSpoolFile(*common::ReadWholeFile(dir + "/rejected/" + kept))->body,
      "1|t|a");
  EXPECT_EQ(
      DecodeSpoolFile(*common::ReadWholeFile(dir + "/rejected/" + *marker))
          ->body,
      "1|m|marker");
  EXPECT_EQ((*s)->sealed_count(), 0u);
  // After a restart ids go on past everything in rejected/.
  s = Spool::Open(dir);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Enqueue("t", "b").ok());
  EXPECT_EQ((*(*s)->All())[0].id, 3u);
  auto listed = (*s)->Rejected();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, kept);
  EXPECT_EQ((*listed)[0].envelope, "1|t|a");
  EXPECT_EQ((*listed)[1].payload_type, "m");
}

TEST(SpoolTest, OneProcessPerSpoolLock) {
  const std::string dir = TestDir("locked");
  ASSERT_TRUE(EnsureDir(dir).ok());
  auto held = LockExclusively(dir + "/lock");
  ASSERT_TRUE(held.ok()) << held.status();
  // flock locks belong to the open file: a second open conflicts as another
  // process's would.
  EXPECT_EQ(LockExclusively(dir + "/lock").status().code(),
            absl::StatusCode::kFailedPrecondition);
  close(*held);
  auto again = LockExclusively(dir + "/lock");
  ASSERT_TRUE(again.ok()) << again.status();
  close(*again);
}

}  // namespace
}  // namespace spool
}  // namespace collector
