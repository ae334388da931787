// A full disk is an error, not an abort (issue 14 item 5): a real ledger on a
// small tmpfs, with a free-space floor, is filled with appends. Appends must
// be refused with RESOURCE_EXHAUSTED before RocksDB meets ENOSPC (which made
// it abort), and reads and checkpoints must go on.
//
// Mounting needs root (CAP_SYS_ADMIN); the mount lives in a private mount
// namespace of this test process, so nothing outside sees it. Where mounting
// is not permitted the test is skipped, saying so; the floor logic itself is
// tested without a mount in ledger/free_space_floor_test.cc.
#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/free_space_floor.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"

namespace {

constexpr uint64_t kMiB = 1 << 20;
constexpr char kType[] = "aifl.collector.v1.IntervalReport";

// Mounts a tmpfs of `size_mib` on `dir`; an error message when not permitted.
std::string MountSmallTmpfs(const std::string& dir, int size_mib) {
  if (::unshare(CLONE_NEWNS) != 0)
    return std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno);
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return std::string("making / private: ") + std::strerror(errno);
  const std::string options = "size=" + std::to_string(size_mib) + "m";
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) != 0)
    return std::string("mount -t tmpfs: ") + std::strerror(errno);
  return "";
}

TEST(FullDiskTest, AppendsAreRefusedBeforeTheDiskIsFullAndReadsGoOn) {
  const std::string mount_point = ledger::testonly::FreshDir("tmpfs");
  const std::string why = MountSmallTmpfs(mount_point, 24);
  if (!why.empty()) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << why
                 << "); run as root to test a real full disk";
  }
  ::setenv("TEST_TMPDIR", mount_point.c_str(), 1);  // the fixture's folder
  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto collector = std::move(*f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  f->Close();
  ledger::LedgerOptions options;
  options.dir = f->dir();
  options.clock = &f->clock();
  options.min_free_bytes = 6 * kMiB;
  options.free_space_recheck = absl::ZeroDuration();
  auto opened = ledger::Ledger::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  ledger::Ledger& ledger = **opened;

  // Incompressible 4 KiB payloads, 32 per call: ~18 MiB fill the disk.
  std::mt19937_64 random(7);
  absl::Status refused;
  int calls = 0;
  for (; calls < 2000 && refused.ok(); ++calls) {
    std::vector<std::string> batch;
    for (int i = 0; i < 32; ++i) {
      std::string payload(4096, '\0');
      for (char& c : payload) c = static_cast<char>(random());
      batch.push_back(*collector->SignNext(kType, payload));
    }
    for (const ledger::AppendResult& r : ledger.Append(batch)) {
      if (!r.status.ok()) {
        refused = r.status;
        break;
      }
    }
  }
  ASSERT_FALSE(refused.ok()) << "the disk never filled (" << calls << " calls)";
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_NE(refused.message().find("below the floor"), std::string::npos)
      << refused;
  auto free_bytes = ledger::StatvfsFreeBytes(f->dir());
  ASSERT_TRUE(free_bytes.ok());
  EXPECT_GT(*free_bytes, 0u);
  std::cerr << "refused after " << calls << " calls, " << ledger.Size()
            << " entries; " << *free_bytes / 1024 << " KiB free\n";
  // Reads and a checkpoint of what is there go on.
  const uint64_t size = ledger.Size();
  EXPECT_TRUE(ledger.GetLeaf(size - 1).ok());
  EXPECT_TRUE(ledger.InclusionProof(size - 1, size).ok());
  auto note = ledger.PublishCheckpoint();
  EXPECT_TRUE(note.ok()) << note.status();
  // And it keeps refusing (no abort, no corruption) until space is freed.
  auto again = ledger.Append({*collector->SignNext(kType, "x")});
  EXPECT_EQ(again[0].status.code(), absl::StatusCode::kResourceExhausted);
  opened->reset();
  absl::Status reopened = f->Reopen();
  EXPECT_TRUE(reopened.ok()) << reopened;
  EXPECT_EQ(f->ledger().Size(), size);
}

}  // namespace
