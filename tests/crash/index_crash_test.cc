// Crash test of the verifiable index's key checkpoints (index_builder.h): a
// child (index_loop) indexing a ledger, writing its `k` records only every
// 1,500 leaves, is killed with SIGKILL at random moments, many times. After
// each kill the index is opened here with the ledger as its input (the
// leaves since the key checkpoint re-applied), and the test checks that
//  * it opens, at an input size at or past the last one the child printed
//    as applied (an update whose Apply returned is durable) and never below
//    an earlier cycle's;
//  * its map root is the root of MapFn over the input up to that size,
//    computed here in memory (what verify-index does);
// that the child itself re-applied after some kills (it printed an open
// below its state), and at the end that a child runs to the input's end
// and the root is the whole input's.
//
// Cycles: $CRASH_CYCLES (default 12).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/testonly/runfiles.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/ledger_input.h"
#include "index/model_map.h"
#include "index/testonly/model_log.h"
#include "ledger/testonly/ledger_fixture.h"

namespace {

constexpr int kEntries = 30'000;

// What one run of index_loop printed before it died.
struct ChildRun {
  bool opened = false;
  uint64_t opened_size = 0;
  uint64_t opened_keys = 0;
  uint64_t applied = 0;  // the last "applied" size
  bool done = false;
  absl::Duration opened_after;  // when "opened" was read, if it was
};

void ParseLine(absl::string_view line, ChildRun* run) {
  std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
  if (f.size() == 3 && f[0] == "opened") {
    run->opened = absl::SimpleAtoi(f[1], &run->opened_size) &&
                  absl::SimpleAtoi(f[2], &run->opened_keys);
  } else if (f.size() == 2 && f[0] == "applied") {
    EXPECT_TRUE(absl::SimpleAtoi(f[1], &run->applied)) << line;
  } else if (line == "done") {
    run->done = true;
  } else {
    ADD_FAILURE() << "index_loop printed: " << line;
  }
}

// Starts index_loop with `args`, reads its stdout and kills it with SIGKILL
// `kill_after` after it printed "opened" (`from_open`; 60 s at most before)
// or after it started (the kill may land inside the open's re-apply), or
// when it exits. Reads what is left in the pipe (printed, so applied) and
// reaps it.
ChildRun RunAndKill(const std::vector<std::string>& args,
                    absl::Duration kill_after, bool from_open) {
  ChildRun run;
  const std::string binary =
      common::testonly::RunfilePath("tests/crash/index_loop");
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.data()));
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return run;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);  // async-signal-safe calls only until exec
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  const absl::Time start = absl::Now();
  absl::Time deadline = start + (from_open ? absl::Seconds(60) : kill_after);
  std::string buffer;
  bool killed = false, deadline_from_open = !from_open;
  for (;;) {
    if (run.opened && run.opened_after == absl::ZeroDuration()) {
      run.opened_after = absl::Now() - start;
    }
    if (!deadline_from_open && run.opened) {
      deadline = absl::Now() + kill_after;
      deadline_from_open = true;
    }
    const absl::Duration left = deadline - absl::Now();
    if (!killed && left <= absl::ZeroDuration()) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int wait_ms =
        killed ? 1000 : static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
    if (::poll(&p, 1, wait_ms) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t end;
    while ((end = buffer.find('\n')) != std::string::npos) {
      ParseLine(absl::string_view(buffer).substr(0, end), &run);
      buffer.erase(0, end + 1);
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!killed) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "index_loop exited with " << status;
  }
  return run;
}

class IndexCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<vindex::testonly::ModelLog>> log =
        vindex::testonly::ModelLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    for (int from = 0; from < kEntries; from += 2000) {
      std::vector<std::string> envelopes;
      for (int i = from; i < from + 2000; ++i) {
        absl::StatusOr<std::string> env =
            log_->Envelope(absl::StrCat("m", i % 150), i % 5);
        ASSERT_TRUE(env.ok()) << env.status();
        envelopes.push_back(*std::move(env));
      }
      ASSERT_TRUE(log_->AppendAll(envelopes).ok());
    }
    // A ledger folder holding a copy of the database (the child opens it
    // read-only).
    input_dir_ = ledger::testonly::FreshDir("input");
    const absl::Status snapshot = log_->ledger().Snapshot(input_dir_ + "/db");
    ASSERT_TRUE(snapshot.ok()) << snapshot;
    index_dir_ = ledger::testonly::FreshDir("index");
  }

  // MapFn's root over the input's leaves [0, size), sizes never shrinking.
  vindex::Hash ReferenceRoot(uint64_t size) {
    for (; reference_size_ < size; ++reference_size_) {
      absl::StatusOr<std::string> leaf =
          log_->ledger().GetLeaf(reference_size_);
      EXPECT_TRUE(leaf.ok() && reference_.AddLeaf(reference_size_, *leaf).ok());
    }
    reference_.Flush();
    return reference_.Root();
  }

  // Opens the index as the crash left it and checks it. Returns its size.
  uint64_t CheckIndex(const ChildRun& run, uint64_t previous) {
    vindex::BuilderOptions options;
    options.input = vindex::LedgerLeaves(log_->ledger());
    options.checkpoint_keys_at_close = false;  // leave it as the crash did
    auto b = vindex::IndexBuilder::Open(index_dir_, options);
    EXPECT_TRUE(b.ok()) << b.status();
    if (!b.ok()) return previous;
    const uint64_t size = (*b)->state().input_size;
    EXPECT_GE(size, run.applied) << "an applied update was lost";
    EXPECT_GE(size, previous);
    EXPECT_LE((*b)->key_checkpoint_size(), size);
    EXPECT_EQ((*b)->state().map_root, ReferenceRoot(size)) << "at " << size;
    return size;
  }

  std::vector<std::string> Args(int seed) {
    return {absl::StrCat("--input=", input_dir_),
            absl::StrCat("--index=", index_dir_), "--interval=1500",
            absl::StrCat("--seed=", seed)};
  }

  std::unique_ptr<vindex::testonly::ModelLog> log_;
  std::string input_dir_, index_dir_;
  vindex::ModelMap reference_;
  uint64_t reference_size_ = 0;
};

TEST_F(IndexCrashTest, KilledIndexerReopensToTheInputsRoots) {
  const char* env = std::getenv("CRASH_CYCLES");
  const int cycles = env != nullptr ? std::atoi(env) : 12;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> kill_ms(10, 250), open_kill_ms(50, 1000);
  uint64_t size = 0;
  int killed_midway = 0, reapplied = 0;
  for (int c = 0; c < cycles; ++c) {
    // Three kills in four after the open, every fourth from the start.
    const ChildRun run =
        RunAndKill(Args(c + 1), absl::Milliseconds(kill_ms(rng)), c % 4 != 3);
    if (run.opened && run.opened_keys < run.opened_size) ++reapplied;
    size = CheckIndex(run, size);
    std::printf(
        "cycle %d: opened %d at %llu (keys at %llu), applied to %llu, "
        "index at %llu, open took %.0f ms\n",
        c, run.opened, static_cast<unsigned long long>(run.opened_size),
        static_cast<unsigned long long>(run.opened_keys),
        static_cast<unsigned long long>(run.applied),
        static_cast<unsigned long long>(size),
        absl::ToDoubleMilliseconds(run.opened_after));
    if (!run.done) ++killed_midway;
  }
  const ChildRun last = RunAndKill(Args(99), absl::Seconds(60), false);
  ASSERT_TRUE(last.done);
  if (last.opened_keys < last.opened_size) ++reapplied;
  EXPECT_EQ(CheckIndex(last, size), log_->ledger().Size());
  // The kills landed mid-way, and opens re-applied: the test tested.
  EXPECT_GE(killed_midway, cycles / 2);
  EXPECT_GE(reapplied, 1);
  std::printf("%d of %d kills mid-way, %d opens re-applied\n", killed_midway,
              cycles, reapplied);
}

}  // namespace
