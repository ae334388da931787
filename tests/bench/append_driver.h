// Drives durable appends the way a busy server would: `threads` appenders,
// each owning its collector keys, each calling Ledger::Append with batches of
// pre-signed envelopes, so that group commit merges concurrent callers.
//
// Envelopes are signed in chunks before the clock starts (SignChunk), so only
// appending is timed (AppendChunk) and memory stays bounded by one chunk.
// Not thread-safe: call from one thread; it runs its own workers.
#ifndef TESTS_BENCH_APPEND_DRIVER_H_
#define TESTS_BENCH_APPEND_DRIVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ledger/append_pipeline.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"

namespace ledger::bench {

class AppendDriver {
 public:
  static constexpr int kKeysPerThread = 2;

  // Enrols threads × kKeysPerThread collector keys with `admin` (the ledger's
  // admin signer, its next sequence set) and appends the enrolments.
  static absl::StatusOr<std::unique_ptr<AppendDriver>> Create(
      Ledger* ledger, EntrySigner* admin, int threads, int batch,
      int payload_bytes);

  // Signs `count` envelopes, split into batches dealt round-robin to the
  // threads; replaces the previous chunk. Returns seconds spent.
  absl::StatusOr<double> SignChunk(uint64_t count);

  // Appends the signed chunk on all threads, in rounds of about
  // `round_entries`: all threads finish a round, then `between_rounds(s)`
  // runs alone with s = that round's wall seconds (for limit measurements
  // interleaved with the appends), then the next round starts. Returns the
  // wall seconds spent appending (between_rounds excluded). `progress(done)`
  // is called on some thread after each batch with the entries appended so
  // far in this chunk.
  double AppendChunk(const std::function<void(uint64_t)>& progress,
                     uint64_t round_entries,
                     const std::function<void(double)>& between_rounds);

  // From now on AppendChunk hands each thread's batches to `pipeline` (not
  // owned; null: Ledger::Append again) without waiting for each one's
  // commit, retrying while it is full, and a round ends when every batch of
  // it is answered.
  void set_pipeline(AppendPipeline* pipeline) { pipeline_ = pipeline; }

  uint64_t errors() const { return errors_; }
  std::string first_error() {
    absl::MutexLock lock(&error_mu_);
    return first_error_;
  }
  uint64_t append_calls() const { return calls_; }
  uint64_t envelope_bytes() const { return envelope_bytes_; }

 private:
  AppendDriver() = default;
  std::string Payload(uint64_t n) const;
  // Appends `envelopes` (synchronously, or through pipeline_), counting
  // errors; calls `answered(n)` once they are durable or refused.
  void AppendBatch(std::vector<std::string>& envelopes,
                   const std::function<void(size_t)>& answered);
  void CountErrors(const std::vector<AppendResult>& results);

  Ledger* ledger_ = nullptr;
  AppendPipeline* pipeline_ = nullptr;
  int threads_ = 0;
  int batch_ = 0;
  int payload_bytes_ = 0;
  uint64_t next_entry_ = 0;  // numbers payloads across chunks
  // signers_[t] are thread t's keys.
  std::vector<std::vector<std::unique_ptr<EntrySigner>>> signers_;
  // batches_[t] are thread t's batches of the current chunk.
  std::vector<std::vector<std::vector<std::string>>> batches_;
  std::atomic<uint64_t> errors_{0};
  absl::Mutex error_mu_;
  std::string first_error_ ABSL_GUARDED_BY(error_mu_);
  uint64_t calls_ = 0;
  uint64_t envelope_bytes_ = 0;
};

}  // namespace ledger::bench

#endif  // TESTS_BENCH_APPEND_DRIVER_H_
