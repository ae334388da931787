// AppendPipeline: the asynchronous front end of a Sequencer. Submit() hands
// over a batch of envelopes and returns at once; the batch then flows through
// three stages:
//
//   verify (N workers: parse + Ed25519, in chunks, any order)
//     ─▶ commit (one thread: batches in submission order, several per group
//        commit, one synced WriteBatch; Sequencer::Commit)
//       ─▶ done(results) (on the commit thread, after the sync returned)
//
// so the workers verify the next batches while a group writes and fsyncs:
// a synchronous caller (Sequencer::Append) cannot, because it waits for its
// own commit before it verifies its next batch.
//
// The guarantees are Append()'s: a result is OK only once its entry is
// durable (done is called after the synced write); a crash loses nothing
// acknowledged and, since a batch is never split across groups, leaves no
// batch half-written; batches commit in the order Submit() accepted them, so
// a caller may keep several batches of one key in flight; the admission rule,
// idempotent resubmission and the error codes are Append()'s (sequencer.h).
// Back-pressure is explicit: Submit() refuses with kUnavailable, doing
// nothing, while the pipeline holds max_entries entries or max_bytes envelope
// bytes (a batch is always accepted into an empty pipeline).
//
// Synchronous Append() calls and the pipeline share the Sequencer's commit
// queue, so both may be used at once. Thread-safe. The destructor stops
// accepting, commits everything already accepted, runs its callbacks and
// joins the threads; destroy the pipeline before its Sequencer.
#ifndef LEDGER_APPEND_PIPELINE_H_
#define LEDGER_APPEND_PIPELINE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ledger/ledger_options.h"
#include "ledger/sequencer.h"

namespace ledger {

struct PipelineOptions {
  // Verify workers. Default: 0 (one per hardware thread).
  int verify_threads = 0;
  // Entries accepted and not yet answered, beyond which Submit() refuses.
  // Default: 16,384 (two full groups of the default max_group_entries).
  size_t max_entries = 16384;
  // Envelope bytes accepted and not yet answered, beyond which Submit()
  // refuses. Default: 64 MiB.
  size_t max_bytes = size_t{64} << 20;
  // Envelopes per verify task: a batch is verified by several workers at
  // once in chunks of this many. Default: 32.
  size_t verify_chunk = 32;
};

class AppendPipeline {
 public:
  // Called once per accepted batch with one result per envelope, in order.
  // Runs on the commit thread (or inside Submit, when the ledger cannot be
  // written at all): it must be quick and must not wait for this pipeline.
  using Done = std::function<void(std::vector<AppendResult> results)>;

  // Starts the workers and the commit thread. `sequencer` is not owned and
  // must outlive the pipeline.
  static std::unique_ptr<AppendPipeline> Start(Sequencer* sequencer,
                                               const PipelineOptions& options);
  ~AppendPipeline();
  AppendPipeline(const AppendPipeline&) = delete;
  AppendPipeline& operator=(const AppendPipeline&) = delete;

  // Accepts `envelopes` (encoded per FORMAT.md), taking them and `done`, and
  // returns OK: `done` will be called with their results (codes as
  // Sequencer::Append). When the ledger is read-only or below its
  // free-space floor, `done` is called before Submit returns, every result
  // carrying that error. kUnavailable when the pipeline is full or stopping,
  // kInvalidArgument for an empty batch: then `envelopes` and `done` are
  // left untouched (retry with the same ones) and `done` is never called.
  absl::Status Submit(std::vector<std::string>&& envelopes, Done&& done);

  // What the pipeline holds now.
  struct Sample {
    size_t batches = 0;   // accepted, not yet answered
    size_t entries = 0;   // their envelopes
    size_t bytes = 0;     // their envelope bytes
    size_t verified = 0;  // batches verified, waiting for their commit
  };
  Sample Now() const;

 private:
  struct Batch;
  struct Chunk {
    Batch* batch;
    size_t begin;
    size_t end;
  };

  AppendPipeline(Sequencer* sequencer, const PipelineOptions& options);
  void VerifyLoop();
  void CommitLoop();
  // Commits `run` (consecutive verified batches) as one Sequencer writer
  // and answers each batch.
  void CommitRun(std::vector<std::unique_ptr<Batch>>& run);

  Sequencer* const sequencer_;
  const PipelineOptions options_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Chunks waiting for a verify worker, oldest first.
  std::deque<Chunk> to_verify_ ABSL_GUARDED_BY(mu_);
  // Every accepted batch not yet taken by the commit thread, in submission
  // order (the commit order).
  std::deque<std::unique_ptr<Batch>> in_order_ ABSL_GUARDED_BY(mu_);
  Sample held_ ABSL_GUARDED_BY(mu_);

  std::vector<std::thread> workers_;
  std::thread committer_;
};

}  // namespace ledger

#endif  // LEDGER_APPEND_PIPELINE_H_
