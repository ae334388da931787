// Crash test: the witness binary is SIGKILLed again and again while one
// client per log submits checkpoints concurrently. Whatever it answered 200
// to was persisted before the answer, so after every restart it reports (409)
// a cosigned size at least as large as any it cosigned, and never cosigns a
// smaller checkpoint: the old-size check and the synced update are atomic.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/testonly/runfiles.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "witness/testonly/fake_log.h"
#include "witness/testonly/http_client.h"
#include "witness/testonly/spawn.h"

namespace witness {
namespace {

using testonly::FakeLog;
using testonly::HttpClient;

constexpr int kLogs = 4;
constexpr int kCycles = 8;
constexpr uint64_t kLogSize = 200000;
// Acknowledged cosignatures each cycle waits for before its SIGKILL.
constexpr uint64_t kMinAcksPerCycle = 16;
constexpr char kName[] = "crash.example/witness";

class WitnessCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = std::getenv("TEST_TMPDIR");
    auto key = *ledger::crypto::SigningKey::FromSeed(std::string(32, '\x42'));
    ASSERT_TRUE(
        ledger::crypto::WriteSecretKeyFile(tmp_ + "/witness.key", *key).ok());
    verifier_ = std::make_unique<ledger::note::CosignatureVerifier>(
        *ledger::note::CosignatureVerifier::Create(kName, key->public_key()));
    std::ofstream config(tmp_ + "/logs");
    for (int i = 0; i < kLogs; ++i) {
      logs_.push_back(std::make_unique<FakeLog>(
          absl::StrCat("crash-", i, ".example/log"), 10 + i, "leaves"));
      logs_.back()->GrowTo(kLogSize);
      config << logs_.back()->LogLine();
    }
  }

  pid_t StartWitness(int port) {
    const std::string binary =
        common::testonly::RunfilePath("witness/aifl_witness");
    const std::vector<std::string> args = {
        binary,
        "serve",
        absl::StrCat("--key_file=", tmp_, "/witness.key"),
        absl::StrCat("--name=", kName),
        absl::StrCat("--logs=", tmp_, "/logs"),
        absl::StrCat("--state_dir=", tmp_, "/state"),
        absl::StrCat("--listen=127.0.0.1:", port),
        "--threads=8"};
    return testonly::Spawn(args);
  }

  // Waits until the witness answers; returns false after ~20 s.
  bool WaitReady(int port) {
    for (int i = 0; i < 400; ++i) {
      HttpClient probe(port);
      auto r = probe.Request("GET", "/evidence");
      if (r.ok() && r->status == 200) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  // The cosigned size the witness reports for log `i` (409 to old = 0 and a
  // request it cannot accept).
  uint64_t ReportedSize(HttpClient& client, int i) {
    auto r = client.Request("POST", "/add-checkpoint",
                            absl::StrCat("old 0\n\n", logs_[i]->Checkpoint(1)));
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      return 0;
    }
    if (r->status == 200) return 1;  // nothing cosigned yet: it took size 1
    EXPECT_EQ(r->status, 409) << r->body;
    uint64_t size = 0;
    EXPECT_TRUE(absl::SimpleAtoi(absl::StripSuffix(r->body, "\n"), &size));
    return size;
  }

  std::string tmp_;
  std::vector<std::unique_ptr<FakeLog>> logs_;
  std::unique_ptr<ledger::note::CosignatureVerifier> verifier_;
};

TEST_F(WitnessCrashTest, NeverCosignsBelowWhatItCosignedAcrossSigkills) {
  // Per log: the largest size the witness answered 200 for, over all cycles.
  std::vector<uint64_t> acked(kLogs, 0);
  uint64_t total_acks = 0;
  std::mt19937 rng(7);
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    const int port = common::testonly::FreeLoopbackPort();
    const pid_t pid = StartWitness(port);
    ASSERT_TRUE(WaitReady(port))
        << "witness did not start (cycle " << cycle << ")";
    // After the restart: nothing it cosigned is forgotten, and a checkpoint
    // below it is refused even with a valid proof from a smaller size.
    {
      HttpClient client(port);
      for (int i = 0; i < kLogs; ++i) {
        const uint64_t reported = ReportedSize(client, i);
        ASSERT_GE(reported, acked[i]) << "log " << i << " cycle " << cycle;
        acked[i] = std::max(acked[i], reported);
        if (acked[i] >= 2) {
          auto r =
              client.Request("POST", "/add-checkpoint",
                             logs_[i]->Request(acked[i] / 2, acked[i] - 1));
          ASSERT_TRUE(r.ok());
          EXPECT_NE(r->status, 200) << "cosigned a smaller size";
        }
      }
    }
    std::atomic<bool> stop{false};
    std::vector<uint64_t> cycle_acked = acked;
    std::atomic<uint64_t> acks{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kLogs; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(port);
        std::mt19937 r(1000 * cycle + i);
        uint64_t have = cycle_acked[i];
        while (!stop.load()) {
          const uint64_t next =
              std::min<uint64_t>(kLogSize, have + 1 + r() % 20);
          if (next == have) break;
          auto reply = client.Request("POST", "/add-checkpoint",
                                      logs_[i]->Request(have, next));
          if (!reply.ok()) break;  // killed
          if (reply->status == 200) {
            const std::string note = logs_[i]->Checkpoint(next) + reply->body;
            auto split = ledger::note::SplitSignedNote(note);
            if (!split.ok() || split->signatures.size() != 2 ||
                !verifier_->Verify(split->text, split->signatures[1].signature)
                     .ok()) {
              ADD_FAILURE() << "bad cosignature: " << reply->body;
              break;
            }
            have = next;
            cycle_acked[i] = next;  // only this thread writes slot i
            ++acks;
          } else {
            ADD_FAILURE() << "log " << i << ": " << reply->status << " "
                          << reply->body;
            break;
          }
        }
      });
    }
    absl::SleepFor(absl::Milliseconds(100 + rng() % 300));
    // The kill lands at a random time, but only once this cycle has had its
    // share of acknowledgements: on a loaded machine a fixed time may see
    // too few of them for the test to mean anything.
    const absl::Time give_up = absl::Now() + absl::Seconds(15);
    while (acks.load() < kMinAcksPerCycle && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "witness exited by itself: " << status;
    acked = cycle_acked;
    total_acks += acks.load();
  }
  EXPECT_GE(total_acks, kMinAcksPerCycle * kCycles)
      << "too little load to mean anything";
  // A last restart: every acknowledged size is still there.
  const int port = common::testonly::FreeLoopbackPort();
  const pid_t pid = StartWitness(port);
  ASSERT_TRUE(WaitReady(port));
  HttpClient client(port);
  for (int i = 0; i < kLogs; ++i) EXPECT_GE(ReportedSize(client, i), acked[i]);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::cout << "acknowledged cosignatures: " << total_acks << "\n";
}

}  // namespace
}  // namespace witness
