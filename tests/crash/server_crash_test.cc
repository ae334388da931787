// Crash under load, through the real server: the `ledger_server` binary
// serves a ledger while clients submit concurrently over gRPC; it is killed
// with SIGKILL at a random moment, restarted, and after every cycle:
//  * every entry whose durable receipt a client received is present at its
//    leaf index, byte for byte (recomputed: deterministic keys and payloads);
//  * every checkpoint a client saw verifies and is consistent with the
//    latest one (the log only grew);
//  * the full audit passes, and ingestion resumes.
// CI runs a few cycles; SERVER_CRASH_CYCLES=100 runs the long variant.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "common/testonly/runfiles.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/leaf.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/ledger_init.h"
#include "ledger/merkle/verify.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "tests/crash/crash_payload.h"

namespace {

struct Ack {
  int writer;
  uint64_t sequence;
  uint64_t leaf_index;
};

class ServerCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/ledger";
    ASSERT_TRUE(
        ledger::InitLedger(dir_, std::string(crash::kCrashOrigin), nullptr)
            .ok());
    ledger::LedgerOptions options;
    options.dir = dir_;
    auto l = std::move(*ledger::Ledger::Open(options));
    auto admin = ledger::EntrySigner(
        *ledger::crypto::ReadSecretKeyFile(ledger::DefaultAdminKeyPath(dir_)),
        l->origin(), 2);
    for (int w = 0; w < crash::kCrashWriters; ++w) {
      auto key = *ledger::crypto::SigningKey::FromSeed(crash::CrashKeySeed(w));
      aifl::ledger::v1::KeyEvent event;
      event.mutable_enrol()->set_public_key(
          std::string(key->public_key().bytes()));
      event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
      ASSERT_TRUE(l->Append({*admin.SignNext(ledger::kKeyEventType,
                                             event.SerializeAsString())})[0]
                      .status.ok());
    }
    ASSERT_TRUE(l->PublishCheckpoint().ok());
  }

  // One cycle: start the server, submit from one thread per writer, kill it
  // after `kill_after`, reap it.
  void RunCycle(absl::Duration kill_after, std::vector<Ack>* acks,
                std::vector<std::string>* notes) {
    std::vector<uint64_t> next(crash::kCrashWriters);
    {
      ledger::LedgerOptions options;
      options.dir = dir_;
      options.read_only = true;
      auto l = std::move(*ledger::Ledger::Open(options));
      for (int w = 0; w < crash::kCrashWriters; ++w) {
        auto key =
            *ledger::crypto::SigningKey::FromSeed(crash::CrashKeySeed(w));
        next[w] = l->FindKey(ledger::crypto::ComputeKeyId(key->public_key()))
                      ->next_sequence;
      }
    }
    const int port = common::testonly::FreeLoopbackPort();
    const std::string listen = "--listen=127.0.0.1:" + std::to_string(port);
    const std::string ledger_dir = "--ledger_dir=" + dir_;
    const std::string binary =
        common::testonly::RunfilePath("api/server/ledger_server");
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execl(binary.c_str(), binary.c_str(), ledger_dir.c_str(),
              listen.c_str(), "--insecure_loopback",
              "--checkpoint_interval=50ms", nullptr);
      ::_exit(127);
    }
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() +
                                          std::chrono::seconds(20)))
        << "server did not start";
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::vector<std::thread> threads;
    for (int w = 0; w < crash::kCrashWriters; ++w) {
      threads.emplace_back([&, w] {
        auto stub = aifl::api::v1::Ingest::NewStub(channel);
        ledger::EntrySigner signer(
            *ledger::crypto::SigningKey::FromSeed(crash::CrashKeySeed(w)),
            std::string(crash::kCrashOrigin), next[w]);
        std::mt19937 rng(w + static_cast<int>(next[w]));
        while (!stop) {
          aifl::api::v1::SubmitRequest request;
          const uint64_t first = signer.next_sequence();
          const int n = 1 + static_cast<int>(rng() % 16);
          for (int i = 0; i < n; ++i) {
            const uint64_t seq = signer.next_sequence();
            request.add_envelopes(*signer.SignNext(
                crash::kCrashPayloadType, crash::CrashPayload(w, seq)));
          }
          aifl::api::v1::SubmitResponse response;
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
          if (!stub->Submit(&ctx, request, &response).ok()) break;  // killed
          std::lock_guard<std::mutex> lock(mu);
          for (int i = 0; i < response.results_size(); ++i) {
            ASSERT_TRUE(response.results(i).has_receipt())
                << response.results(i).error().message();
            acks->push_back(
                {w, first + i, response.results(i).receipt().leaf_index()});
          }
        }
      });
    }
    threads.emplace_back([&] {
      auto audit = aifl::api::v1::Audit::NewStub(channel);
      while (!stop) {
        aifl::api::v1::GetCheckpointRequest request;
        aifl::api::v1::Checkpoint checkpoint;
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
        if (!audit->GetCheckpoint(&ctx, request, &checkpoint).ok()) break;
        std::lock_guard<std::mutex> lock(mu);
        notes->push_back(checkpoint.note());
        absl::SleepFor(absl::Milliseconds(30));
      }
    });
    absl::SleepFor(kill_after);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    stop = true;
    for (auto& t : threads) t.join();
  }

  void Verify(const std::vector<Ack>& acks,
              const std::vector<std::string>& notes) {
    ledger::LedgerOptions options;
    options.dir = dir_;
    auto opened = ledger::Ledger::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    auto& l = **opened;
    ASSERT_GE(l.Size(), last_size_) << "the log shrank";
    last_size_ = l.Size();
    for (const Ack& ack : acks) {
      auto leaf = ledger::entry::ParseLeaf(*l.GetLeaf(ack.leaf_index));
      ASSERT_TRUE(leaf.ok())
          << "acknowledged leaf " << ack.leaf_index << " missing";
      ledger::EntrySigner signer(*ledger::crypto::SigningKey::FromSeed(
                                     crash::CrashKeySeed(ack.writer)),
                                 std::string(crash::kCrashOrigin), 0);
      EXPECT_EQ(leaf->envelope,
                *signer.SignAt(ack.sequence, crash::kCrashPayloadType,
                               crash::CrashPayload(ack.writer, ack.sequence)))
          << "leaf " << ack.leaf_index;
    }
    seen_notes_.insert(seen_notes_.end(), notes.begin(), notes.end());
    auto latest = ledger::VerifyCheckpoint(*l.LatestCheckpoint(), l.origin(),
                                           l.log_public_key());
    ASSERT_TRUE(latest.ok());
    for (const std::string& note : seen_notes_) {
      auto seen =
          ledger::VerifyCheckpoint(note, l.origin(), l.log_public_key());
      ASSERT_TRUE(seen.ok()) << seen.status();
      ASSERT_LE(seen->size, latest->size);
      auto proof = l.ConsistencyProof(seen->size, latest->size);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(ledger::merkle::VerifyConsistency(seen->size, latest->size,
                                                    *proof, seen->root,
                                                    latest->root)
                      .ok())
          << "a checkpoint a client saw is not a prefix of the latest";
    }
    l.PublishCheckpoint().status().IgnoreError();
    opened->reset();
    auto report = ledger::AuditLedgerDir(dir_, {});
    ASSERT_TRUE(report.ok() && report->ok)
        << (report.ok() ? report->problem : "");
  }

  std::string dir_;
  uint64_t last_size_ = 0;
  std::vector<std::string> seen_notes_;
};

TEST_F(ServerCrashTest, AcknowledgedEntriesSurviveServerSigkill) {
  const char* env = std::getenv("SERVER_CRASH_CYCLES");
  const int cycles = env != nullptr ? std::atoi(env) : 4;
  std::mt19937 rng(42);
  uint64_t total_acks = 0;
  for (int c = 0; c < cycles; ++c) {
    std::vector<Ack> acks;
    std::vector<std::string> notes;
    RunCycle(absl::Milliseconds(200 + rng() % 800), &acks, &notes);
    if (HasFatalFailure()) return;
    Verify(acks, notes);
    if (HasFatalFailure()) return;
    total_acks += acks.size();
    std::printf(
        "cycle %d: %zu acknowledged, %zu checkpoints seen, log size %llu\n", c,
        acks.size(), notes.size(), static_cast<unsigned long long>(last_size_));
  }
  EXPECT_GT(total_acks, 0u)
      << "no entry was ever acknowledged: nothing was tested";
  std::printf("%d cycles, %llu acknowledged entries all intact\n", cycles,
              static_cast<unsigned long long>(total_acks));
}

}  // namespace
