// Crash test: a child process (append_loop) appending to a ledger from two
// threads is killed with SIGKILL at random moments, many times. After each
// kill the ledger is audited and reopened, and the test checks that
//  * every entry the child acknowledged ("ack" lines, printed only after
//    Append returned) is at the leaf index it was given, with exactly the
//    envelope bytes recomputed here from the same seed key and payload;
//  * every new leaf is such a recomputable envelope, and no old leaf changed
//    (leaf hashes are remembered), so the size never shrinks;
//  * the full offline audit passes and sees the same size as the ledger;
//  * every checkpoint the child reported as published is stored, and the
//    latest checkpoint verifies, matches the tree and is consistent with every
//    checkpoint seen in earlier cycles (RFC 6962 consistency proofs);
//  * each key's next sequence number is past everything acknowledged;
// and at the end that a fresh child still appends (the ledger is not stuck).
// A second test runs the child with --pipeline (batches in flight through a
// small, mostly full AppendPipeline) and checks the same after every kill,
// plus that no batch is half in the log.
//
// Cycles: --cycles=N (after --test_arg) or $CRASH_CYCLES; default 12.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/testonly/runfiles.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/ledger_init.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/verify.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tests/crash/crash_payload.h"

namespace crash {
namespace {

int g_cycles = 12;

struct Ack {
  int writer = 0;
  uint64_t sequence = 0;
  uint64_t leaf_index = 0;
};

// A batch the child (--pipeline) submitted: sequences [first, first+count).
struct SubmittedBatch {
  int writer = 0;
  uint64_t first = 0;
  uint64_t count = 0;
};

// What one run of append_loop printed before it died.
struct ChildRun {
  bool ready = false;
  std::vector<Ack> acks;
  std::vector<SubmittedBatch> batches;  // --pipeline only
  // "full" lines (--pipeline): refusals, and the most verified batches the
  // pipeline held waiting for their commit at one of them.
  size_t full_refusals = 0;
  uint64_t max_verified_waiting = 0;
  std::vector<uint64_t> checkpoints;  // sizes of published checkpoints
  int wait_status = 0;
  absl::Duration ready_after;  // when "ready" was read, if it was
  absl::Duration killed_after;
  std::string bad_line;  // the first line that did not parse
};

void ParseLine(absl::string_view line, ChildRun* run) {
  std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
  bool ok = false;
  if (f.size() == 4 && f[0] == "ack") {
    Ack ack;
    ok = absl::SimpleAtoi(f[1], &ack.writer) &&
         absl::SimpleAtoi(f[2], &ack.sequence) &&
         absl::SimpleAtoi(f[3], &ack.leaf_index);
    if (ok) run->acks.push_back(ack);
  } else if (f.size() == 4 && f[0] == "batch") {
    SubmittedBatch batch;
    ok = absl::SimpleAtoi(f[1], &batch.writer) &&
         absl::SimpleAtoi(f[2], &batch.first) &&
         absl::SimpleAtoi(f[3], &batch.count);
    if (ok) run->batches.push_back(batch);
  } else if (f.size() == 2 && f[0] == "full") {
    uint64_t verified;
    ok = absl::SimpleAtoi(f[1], &verified);
    if (ok) {
      ++run->full_refusals;
      run->max_verified_waiting = std::max(run->max_verified_waiting, verified);
    }
  } else if (f.size() == 2 && f[0] == "ready") {
    ok = run->ready = true;
  } else if (f.size() == 2 && f[0] == "checkpoint") {
    uint64_t size;
    ok = absl::SimpleAtoi(f[1], &size);
    if (ok) run->checkpoints.push_back(size);
  }
  if (!ok && run->bad_line.empty()) run->bad_line = std::string(line);
}

// Starts append_loop with `args`, reads its stdout, and kills it with SIGKILL
// `kill_after` after it started (`from_ready`: after it printed "ready", i.e.
// opened the ledger; 30 s at most), or as soon as it has acknowledged
// `kill_after_acks` entries (0: no such limit). Then reads what was already
// in the pipe (those lines were printed, so those entries were acknowledged)
// and reaps it.
ChildRun RunAndKill(const std::vector<std::string>& args,
                    absl::Duration kill_after, bool from_ready,
                    size_t kill_after_acks) {
  ChildRun run;
  std::vector<char*> argv;
  const std::string binary =
      common::testonly::RunfilePath("tests/crash/append_loop");
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return run;
  }
  const absl::Time start = absl::Now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(fds[1], 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return run;
  }
  std::string buffer;
  auto consume = [&] {
    size_t end;
    while ((end = buffer.find('\n')) != std::string::npos) {
      ParseLine(absl::string_view(buffer).substr(0, end), &run);
      buffer.erase(0, end + 1);
    }
  };
  absl::Time deadline =
      from_ready ? start + absl::Seconds(30) : start + kill_after;
  bool eof = false;
  while (!eof) {
    if (run.ready && run.ready_after == absl::ZeroDuration()) {
      run.ready_after = absl::Now() - start;
      if (from_ready) deadline = absl::Now() + kill_after;
    }
    if (kill_after_acks > 0 && run.acks.size() >= kill_after_acks) break;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) break;
    pollfd p{fds[0], POLLIN, 0};
    const int ready =
        ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    buffer.append(chunk, static_cast<size_t>(n));
    consume();
  }
  ::kill(pid, SIGKILL);
  run.killed_after = absl::Now() - start;
  // Drain: whatever the child wrote before it died counts as acknowledged.
  for (;;) {
    char chunk[4096];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  consume();  // a trailing fragment without '\n' was never fully printed
  ::close(fds[0]);
  while (::waitpid(pid, &run.wait_status, 0) < 0 && errno == EINTR) {
  }
  return run;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ledger::testonly::FreshDir("crash-ledger");
    ASSERT_TRUE(
        ledger::InitLedger(dir_, std::string(kCrashOrigin), nullptr).ok());
    ledger::LedgerOptions options;
    options.dir = dir_;
    options.index_run_leaves = crash::kCrashIndexRunLeaves;
    auto opened = ledger::Ledger::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    std::unique_ptr<ledger::Ledger> ledger = std::move(*opened);
    auto admin_key =
        ledger::crypto::ReadSecretKeyFile(ledger::DefaultAdminKeyPath(dir_));
    ASSERT_TRUE(admin_key.ok()) << admin_key.status();
    // Genesis used the admin's sequence numbers 0 and 1.
    ledger::EntrySigner admin(std::move(*admin_key), ledger->origin(), 2);
    std::vector<std::string> key_paths;
    for (int w = 0; w < kCrashWriters; ++w) {
      auto key = ledger::crypto::SigningKey::FromSeed(CrashKeySeed(w));
      ASSERT_TRUE(key.ok()) << key.status();
      aifl::ledger::v1::KeyEvent event;
      event.mutable_enrol()->set_public_key(
          std::string((*key)->public_key().bytes()));
      event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
      event.mutable_enrol()->set_organisation("crash-test");
      event.mutable_enrol()->set_node(absl::StrCat("writer-", w));
      auto envelope =
          admin.SignNext(ledger::kKeyEventType, event.SerializeAsString());
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      const auto results = ledger->Append({*envelope});
      ASSERT_TRUE(results[0].status.ok()) << results[0].status;
      const std::string path = absl::StrCat(dir_, "/collector-", w, ".key");
      ASSERT_TRUE(ledger::crypto::WriteSecretKeyFile(path, **key).ok());
      key_paths.push_back(path);
      key_ids_.push_back(ledger::crypto::ComputeKeyId((*key)->public_key()));
      signers_.push_back(std::make_unique<ledger::EntrySigner>(
          std::move(*key), ledger->origin(), 0));
    }
    ASSERT_TRUE(ledger->PublishCheckpoint().ok());
    keys_arg_ = absl::StrCat("--keys=", absl::StrJoin(key_paths, ","));
    ledger.reset();
    ASSERT_NO_FATAL_FAILURE(Verify(ChildRun(), /*setup=*/true));
  }

  // Checks the ledger after `run` was killed. With `setup`, only records the
  // state (the leaves are the genesis and enrolment entries).
  void Verify(const ChildRun& run, bool setup);

  std::vector<std::string> ChildArgs(uint64_t seed) const {
    return {absl::StrCat("--dir=", dir_), keys_arg_,
            absl::StrCat("--seed=", seed)};
  }

  // After Verify(run): no batch the child submitted is half in the log, i.e.
  // each writer's stored sequences end on a boundary of its batches.
  void CheckNoBatchHalfWritten(const ChildRun& run) const;

  std::string dir_;
  std::string keys_arg_;
  std::vector<ledger::crypto::KeyId> key_ids_;
  std::vector<std::unique_ptr<ledger::EntrySigner>> signers_;

  // What earlier cycles established.
  std::vector<ledger::merkle::Hash> leaf_hashes_;  // of every leaf seen
  std::map<uint64_t, Ack> acked_;                  // by leaf index
  std::vector<uint64_t> next_sequence_ = std::vector<uint64_t>(kCrashWriters);
  std::map<uint64_t, ledger::merkle::Hash> checkpoints_;  // size → root
  uint64_t latest_checkpoint_size_ = 0;
  uint64_t total_acks_ = 0;
};

void CrashTest::Verify(const ChildRun& run, bool setup) {
  ASSERT_TRUE(run.bad_line.empty()) << "append_loop printed: " << run.bad_line;

  // The offline audit first, on the database exactly as the crash left it.
  auto report = ledger::AuditLedgerDir(dir_, ledger::AuditOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->ok) << "audit: " << report->problem << " (first bad leaf "
                          << report->first_bad_index.value_or(~0ULL) << ")";

  // Then a restart, as the server would do it.
  ledger::LedgerOptions options;
  options.dir = dir_;
  options.index_run_leaves = crash::kCrashIndexRunLeaves;
  auto opened = ledger::Ledger::Open(options);
  ASSERT_TRUE(opened.ok()) << "reopen after the crash: " << opened.status();
  std::unique_ptr<ledger::Ledger> ledger = std::move(*opened);
  const uint64_t size = ledger->Size();
  EXPECT_EQ(report->entries, size) << "the audit and the ledger disagree";
  const uint64_t old_size = leaf_hashes_.size();
  ASSERT_GE(size, old_size) << "the log shrank";

  // Every leaf: old ones unchanged, new ones the recomputed envelopes.
  for (uint64_t start = 0; start < size; start += 1000) {
    auto leaves =
        ledger->GetLeaves(start, std::min<uint64_t>(1000, size - start));
    ASSERT_TRUE(leaves.ok()) << leaves.status();
    for (size_t k = 0; k < leaves->size(); ++k) {
      const uint64_t index = start + k;
      const std::string& leaf = (*leaves)[k];
      const ledger::merkle::Hash hash = ledger::merkle::HashLeaf(leaf);
      // The index (stored runs and the part rebuilt on open) finds it.
      auto found = ledger->FindLeafByHash(hash);
      ASSERT_TRUE(found.ok()) << "leaf " << index << ": " << found.status();
      ASSERT_EQ(*found, index) << "the index misplaces leaf " << index;
      if (index < old_size) {
        ASSERT_EQ(hash, leaf_hashes_[index]) << "leaf " << index << " changed";
        continue;
      }
      leaf_hashes_.push_back(hash);
      if (setup) continue;
      auto parsed = ledger::entry::ParseLeaf(leaf);
      ASSERT_TRUE(parsed.ok()) << "leaf " << index << ": " << parsed.status();
      auto envelope = ledger::entry::ParseEnvelope(parsed->envelope);
      ASSERT_TRUE(envelope.ok())
          << "leaf " << index << ": " << envelope.status();
      int writer = -1;
      for (int w = 0; w < kCrashWriters; ++w) {
        if (key_ids_[w].bytes() == envelope->key_id) writer = w;
      }
      ASSERT_GE(writer, 0) << "leaf " << index << " is not by a crash writer";
      auto expected =
          signers_[writer]->SignAt(envelope->sequence, kCrashPayloadType,
                                   CrashPayload(writer, envelope->sequence));
      ASSERT_TRUE(expected.ok()) << expected.status();
      ASSERT_EQ(parsed->envelope, *expected)
          << "leaf " << index << " (writer " << writer << ", sequence "
          << envelope->sequence << ") differs from the recomputed envelope";
      // Per key, sequences are contiguous along the log (the audit checks
      // this too); next_sequence_ tracks them here.
      ASSERT_EQ(envelope->sequence, next_sequence_[writer])
          << "leaf " << index << " of writer " << writer;
      ++next_sequence_[writer];
    }
  }

  // This run's acknowledgements: at the index given, with the bytes above.
  std::vector<int64_t> last_acked(kCrashWriters, -1);
  for (const Ack& ack : run.acks) {
    ASSERT_TRUE(ack.writer >= 0 && ack.writer < kCrashWriters);
    ASSERT_GT(static_cast<int64_t>(ack.sequence), last_acked[ack.writer])
        << "writer " << ack.writer << " acknowledged out of order";
    last_acked[ack.writer] = static_cast<int64_t>(ack.sequence);
    ASSERT_LT(ack.leaf_index, size)
        << "acknowledged entry (writer " << ack.writer << ", sequence "
        << ack.sequence << ") at leaf " << ack.leaf_index
        << " was lost: the log has " << size << " leaves";
    ASSERT_GE(ack.leaf_index, old_size)
        << "an acknowledgement points into an earlier cycle's leaves";
    ASSERT_TRUE(acked_.emplace(ack.leaf_index, ack).second)
        << "leaf " << ack.leaf_index << " acknowledged twice";
  }
  total_acks_ += run.acks.size();
  // Every acknowledgement so far, against the leaf now stored.
  for (const auto& [index, ack] : acked_) {
    auto leaf = ledger->GetLeaf(index);
    ASSERT_TRUE(leaf.ok()) << leaf.status();
    ASSERT_EQ(ledger::merkle::HashLeaf(*leaf), leaf_hashes_[index]);
    auto parsed = ledger::entry::ParseLeaf(*leaf);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    auto envelope = ledger::entry::ParseEnvelope(parsed->envelope);
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    ASSERT_EQ(envelope->key_id, key_ids_[ack.writer].bytes())
        << "leaf " << index << " holds another writer's entry";
    ASSERT_EQ(envelope->sequence, ack.sequence)
        << "leaf " << index << " holds another sequence number";
  }
  // The registry agrees: each key's next sequence is past what is stored.
  if (!setup) {
    for (int w = 0; w < kCrashWriters; ++w) {
      const auto info = ledger->FindKey(key_ids_[w]);
      ASSERT_TRUE(info.has_value());
      ASSERT_EQ(info->next_sequence, next_sequence_[w]) << "writer " << w;
    }
  }

  // Checkpoints the child published are stored and verify.
  for (uint64_t cp_size : run.checkpoints) {
    auto note = ledger->CheckpointAt(cp_size);
    ASSERT_TRUE(note.ok()) << "published checkpoint lost: " << note.status();
    auto fields = ledger::VerifyCheckpoint(*note, ledger->origin(),
                                           ledger->log_public_key());
    ASSERT_TRUE(fields.ok()) << fields.status();
    ASSERT_EQ(fields->size, cp_size);
    checkpoints_.emplace(fields->size, fields->root);
  }
  // The latest checkpoint: verifies, matches the tree, never goes back, and
  // is consistent with every checkpoint seen before.
  auto latest = ledger->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  auto fields = ledger::VerifyCheckpoint(*latest, ledger->origin(),
                                         ledger->log_public_key());
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_GE(fields->size, latest_checkpoint_size_) << "checkpoint went back";
  ASSERT_LE(fields->size, size);
  auto root = ledger->RootAt(fields->size);
  ASSERT_TRUE(root.ok()) << root.status();
  ASSERT_EQ(*root, fields->root);
  for (const auto& [old_cp_size, old_root] : checkpoints_) {
    // Publishes are serialized and store the latest note in the same write,
    // so no published checkpoint can be newer than the latest one.
    ASSERT_LE(old_cp_size, fields->size)
        << "a checkpoint of size " << old_cp_size
        << " was published, but the latest checkpoint has size "
        << fields->size;
    auto proof = ledger->ConsistencyProof(old_cp_size, fields->size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    absl::Status consistent = ledger::merkle::VerifyConsistency(
        old_cp_size, fields->size, *proof, old_root, fields->root);
    ASSERT_TRUE(consistent.ok()) << "checkpoint " << old_cp_size << " → "
                                 << fields->size << ": " << consistent;
  }
  checkpoints_.emplace(fields->size, fields->root);
  latest_checkpoint_size_ = fields->size;
  ledger.reset();  // closed before the next child opens it
}

void CrashTest::CheckNoBatchHalfWritten(const ChildRun& run) const {
  for (int w = 0; w < kCrashWriters; ++w) {
    bool on_boundary = true;  // when the writer submitted nothing
    for (const SubmittedBatch& b : run.batches) {
      if (b.writer != w) continue;
      on_boundary = false;
      if (next_sequence_[w] <= b.first) {
        on_boundary = next_sequence_[w] == b.first;
        break;
      }
      if (next_sequence_[w] == b.first + b.count) {
        on_boundary = true;
        break;
      }
      if (next_sequence_[w] < b.first + b.count) break;  // inside b
    }
    // Past every submitted batch only when the log holds more than the
    // child submitted, which the recomputation in Verify already refuses.
    ASSERT_TRUE(on_boundary)
        << "writer " << w << ": the log stops at sequence " << next_sequence_[w]
        << ", inside a submitted batch";
  }
}

TEST_F(CrashTest, PipelineFullOfVerifiedBatchesSurvivesSigkill) {
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<int> delay_ms(50, 400);
  const int cycles = std::max(4, g_cycles / 2);
  int held_verified_at_refusal = 0;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    std::vector<std::string> args = ChildArgs(cycle);
    args.push_back("--pipeline");
    const ChildRun run = RunAndKill(args, absl::Milliseconds(delay_ms(rng)),
                                    /*from_ready=*/true, 0);
    ASSERT_TRUE(WIFSIGNALED(run.wait_status) &&
                WTERMSIG(run.wait_status) == SIGKILL)
        << "append_loop ended on its own (wait status " << run.wait_status
        << "); its stderr is above";
    ASSERT_NO_FATAL_FAILURE(Verify(run, false)) << "after cycle " << cycle;
    ASSERT_NO_FATAL_FAILURE(CheckNoBatchHalfWritten(run))
        << "after cycle " << cycle;
    if (run.max_verified_waiting > 0) ++held_verified_at_refusal;
    std::printf(
        "pipeline cycle %d/%d: killed %lld ms after start, %zu batches "
        "submitted, %zu acked, %zu refusals while full (up to %llu verified "
        "batches waiting), size %zu\n",
        cycle, cycles,
        static_cast<long long>(absl::ToInt64Milliseconds(run.killed_after)),
        run.batches.size(), run.acks.size(), run.full_refusals,
        static_cast<unsigned long long>(run.max_verified_waiting),
        leaf_hashes_.size());
    std::fflush(stdout);
  }
  // The kills did land while the pipeline was full of verified batches
  // waiting for their group commit (the case this test is for).
  EXPECT_GT(held_verified_at_refusal, 0);
}

TEST_F(CrashTest, AcknowledgedEntriesSurviveSigkill) {
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<int> delay_ms(20, 400);
  const absl::Time start = absl::Now();
  int ready_runs = 0;
  for (int cycle = 1; cycle <= g_cycles; ++cycle) {
    const absl::Duration delay = absl::Milliseconds(delay_ms(rng));
    // Most kills land while appending; every fourth while the child is
    // still opening (and recovering) the ledger.
    const bool from_ready = cycle % 4 != 0;
    const ChildRun run = RunAndKill(ChildArgs(cycle), delay, from_ready, 0);
    ASSERT_TRUE(WIFSIGNALED(run.wait_status) &&
                WTERMSIG(run.wait_status) == SIGKILL)
        << "append_loop ended on its own (wait status " << run.wait_status
        << "); its stderr is above";
    if (run.ready) ++ready_runs;
    ASSERT_NO_FATAL_FAILURE(Verify(run, false)) << "after cycle " << cycle;
    std::printf(
        "cycle %d/%d: killed %lld ms after start (%s), acked %zu, "
        "checkpoints %zu, size %zu, latest checkpoint %llu\n",
        cycle, g_cycles,
        static_cast<long long>(absl::ToInt64Milliseconds(run.killed_after)),
        run.ready
            ? absl::StrCat("opened at ",
                           absl::ToInt64Milliseconds(run.ready_after), " ms")
                  .c_str()
            : "while opening",
        run.acks.size(), run.checkpoints.size(), leaf_hashes_.size(),
        static_cast<unsigned long long>(latest_checkpoint_size_));
    std::fflush(stdout);
  }
  // Appends continue after all those crashes.
  const uint64_t before = leaf_hashes_.size();
  const ChildRun last = RunAndKill(ChildArgs(0), absl::Seconds(60), false, 100);
  ASSERT_TRUE(WIFSIGNALED(last.wait_status)) << last.wait_status;
  ASSERT_GE(last.acks.size(), 100u) << "appends did not continue";
  ASSERT_NO_FATAL_FAILURE(Verify(last, false)) << "after the final run";
  EXPECT_GT(leaf_hashes_.size(), before);
  EXPECT_GT(ready_runs, 0) << "no child ever finished opening the ledger";
  std::printf(
      "crash test: %d cycles (%d killed after opening), %llu entries "
      "acknowledged, %zu leaves, %zu checkpoints checked, %lld ms\n",
      g_cycles, ready_runs, static_cast<unsigned long long>(total_acks_),
      leaf_hashes_.size(), checkpoints_.size(),
      static_cast<long long>(absl::ToInt64Milliseconds(absl::Now() - start)));
}

}  // namespace
}  // namespace crash

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (const char* env = std::getenv("CRASH_CYCLES"); env != nullptr) {
    if (!absl::SimpleAtoi(env, &crash::g_cycles)) {
      std::fprintf(stderr, "CRASH_CYCLES: got %s, want a number\n", env);
      return 2;
    }
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--cycles=") &&
        !absl::SimpleAtoi(arg, &crash::g_cycles)) {
      std::fprintf(stderr, "--cycles: got %s, want a number\n", argv[i]);
      return 2;
    }
  }
  return RUN_ALL_TESTS();
}
