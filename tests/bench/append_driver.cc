#include "tests/bench/append_driver.h"

#include <functional>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"

namespace ledger::bench {
namespace {

constexpr absl::string_view kPayloadType = "aifl.collector.v1.IntervalReport";

// Runs fn(t) on `threads` threads (t = 0 on the caller's) and joins them.
template <typename Fn>
void OnThreads(int threads, Fn fn) {
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(fn, t);
  fn(0);
  for (std::thread& th : pool) th.join();
}

}  // namespace

absl::StatusOr<std::unique_ptr<AppendDriver>> AppendDriver::Create(
    Ledger* ledger, EntrySigner* admin, int threads, int batch,
    int payload_bytes) {
  auto driver = std::unique_ptr<AppendDriver>(new AppendDriver());
  driver->ledger_ = ledger;
  driver->threads_ = std::max(1, threads);
  driver->batch_ = std::max(1, batch);
  driver->payload_bytes_ = std::max(1, payload_bytes);
  driver->signers_.resize(driver->threads_);
  driver->batches_.resize(driver->threads_);
  std::vector<std::string> enrolments;
  for (int t = 0; t < driver->threads_; ++t) {
    for (int k = 0; k < kKeysPerThread; ++k) {
      ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                       crypto::SigningKey::Generate());
      aifl::ledger::v1::KeyEvent event;
      event.mutable_enrol()->set_public_key(
          std::string(key->public_key().bytes()));
      event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
      event.mutable_enrol()->set_organisation("bench");
      event.mutable_enrol()->set_node(absl::StrCat("node-", t, "-", k));
      ASSIGN_OR_RETURN(
          std::string envelope,
          admin->SignNext(kKeyEventType, event.SerializeAsString()));
      enrolments.push_back(std::move(envelope));
      driver->signers_[t].push_back(
          std::make_unique<EntrySigner>(std::move(key), ledger->origin(), 0));
    }
  }
  for (const AppendResult& r : ledger->Append(enrolments)) {
    if (!r.status.ok()) return r.status;
  }
  return driver;
}

std::string AppendDriver::Payload(uint64_t n) const {
  // Shaped like a serialized IntervalReport: ids and counters, then
  // pseudo-random bytes (measured values compress poorly; a constant
  // padding would make RocksDB's compression flatter the storage figure).
  std::string p =
      absl::StrCat("run=bench-run-0001;interval=", n, ";gpu_seconds=", n % 9973,
                   ";flops=", n * 1'000'003, ";");
  uint64_t x = n * 0x9E3779B97F4A7C15ULL + 1;
  while (p.size() < static_cast<size_t>(payload_bytes_)) {
    x ^= x << 13;  // xorshift64
    x ^= x >> 7;
    x ^= x << 17;
    p.push_back(static_cast<char>(x));
  }
  p.resize(payload_bytes_);
  return p;
}

absl::StatusOr<double> AppendDriver::SignChunk(uint64_t count) {
  const absl::Time start = absl::Now();
  const uint64_t batches = (count + batch_ - 1) / batch_;
  const uint64_t first = next_entry_;
  next_entry_ += count;
  std::vector<absl::Status> failures(threads_);
  std::vector<uint64_t> bytes(threads_, 0);
  OnThreads(threads_, [&](int t) {
    std::vector<std::vector<std::string>>& mine = batches_[t];
    mine.clear();
    uint64_t local = 0;  // this thread's batch number, picks the key
    for (uint64_t b = t; b < batches; b += threads_, ++local) {
      EntrySigner& signer = *signers_[t][local % kKeysPerThread];
      const uint64_t begin = b * batch_;
      const uint64_t end = std::min<uint64_t>(count, begin + batch_);
      std::vector<std::string> envelopes;
      envelopes.reserve(end - begin);
      for (uint64_t i = begin; i < end; ++i) {
        absl::StatusOr<std::string> e =
            signer.SignNext(kPayloadType, Payload(first + i));
        if (!e.ok()) {
          failures[t] = e.status();
          return;
        }
        bytes[t] += e->size();
        envelopes.push_back(std::move(*e));
      }
      mine.push_back(std::move(envelopes));
    }
  });
  for (int t = 0; t < threads_; ++t) {
    RETURN_IF_ERROR(failures[t]);
    envelope_bytes_ += bytes[t];
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

void AppendDriver::CountErrors(const std::vector<AppendResult>& results) {
  for (const AppendResult& r : results) {
    if (r.status.ok()) continue;
    if (errors_.fetch_add(1) == 0) {
      absl::MutexLock lock(&error_mu_);
      first_error_ = r.status.ToString();
    }
  }
}

void AppendDriver::AppendBatch(std::vector<std::string>& envelopes,
                               const std::function<void(size_t)>& answered) {
  const size_t n = envelopes.size();
  if (pipeline_ == nullptr) {
    CountErrors(ledger_->Append(envelopes));
    std::vector<std::string>().swap(envelopes);  // free as we go
    answered(n);
    return;
  }
  AppendPipeline::Done done = [this, n,
                               answered](std::vector<AppendResult> results) {
    CountErrors(results);
    answered(n);
  };
  while (true) {
    absl::Status submitted =
        pipeline_->Submit(std::move(envelopes), std::move(done));
    if (submitted.ok()) return;
    if (!absl::IsUnavailable(submitted)) {
      CountErrors({AppendResult{submitted}});
      answered(n);
      return;
    }
    // Full: the back-pressure a server's client sees as UNAVAILABLE.
    absl::SleepFor(absl::Microseconds(200));
  }
}

double AppendDriver::AppendChunk(
    const std::function<void(uint64_t)>& progress, uint64_t round_entries,
    const std::function<void(double)>& between_rounds) {
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> calls{0};
  // Batches per thread per round.
  const size_t per_round = std::max<uint64_t>(
      1, round_entries / (static_cast<uint64_t>(threads_) * batch_));
  size_t most = 0;
  for (const auto& mine : batches_) most = std::max(most, mine.size());
  double seconds = 0;
  for (size_t begin = 0; begin < most; begin += per_round) {
    const size_t end = std::min(most, begin + per_round);
    const absl::Time start = absl::Now();
    // Shared with the callbacks, which may still be unwinding on the
    // pipeline's thread when the round ends.
    struct Round {
      absl::Mutex mu;
      size_t submitted ABSL_GUARDED_BY(mu) = 0;
      size_t answered ABSL_GUARDED_BY(mu) = 0;
    };
    auto round = std::make_shared<Round>();
    std::function<void(size_t)> on_answer = [&done, &progress,
                                             round](size_t n) {
      progress(done.fetch_add(n) + n);
      absl::MutexLock lock(&round->mu);
      ++round->answered;
    };
    OnThreads(threads_, [&](int t) {
      std::vector<std::vector<std::string>>& mine = batches_[t];
      for (size_t b = begin; b < std::min(end, mine.size()); ++b) {
        {
          absl::MutexLock lock(&round->mu);
          ++round->submitted;
        }
        AppendBatch(mine[b], on_answer);
        calls.fetch_add(1);
      }
    });
    {
      absl::MutexLock lock(&round->mu);
      auto all_answered = [&round]() ABSL_SHARED_LOCKS_REQUIRED(round->mu) {
        return round->answered == round->submitted;
      };
      round->mu.Await(absl::Condition(&all_answered));
    }
    const double round_seconds = absl::ToDoubleSeconds(absl::Now() - start);
    seconds += round_seconds;
    between_rounds(round_seconds);
  }
  calls_ += calls.load();
  for (auto& mine : batches_) mine.clear();
  return seconds;
}

}  // namespace ledger::bench
