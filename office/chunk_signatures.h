// ChunkSignatures: the envelope signatures of one commit chunk, verified on
// other threads while the follower fetches and replays the chunk's next
// bundles (ledger::LeafReplay::ReplayDeferred), so that one log keeps every
// core busy: the fetch, parse, admission and hashing of a log are sequential,
// its Ed25519 verifies are not. The chunk is committed only after Finish()
// found every signature good.
//
// At most kInFlight batches run at once (each on `threads` threads); Start
// waits for the oldest beyond that. Four, not fewer: the follower's thread
// also waits on HTTP, and with one or two batches queued the cores idled
// meanwhile (follow_bench, one log: 48-50 % of the limit with one, 55-65 %
// with two, 66-69 % with four; docs/PERFORMANCE.md). Destroying the object
// waits for the batches still running (their results are dropped: the chunk was
// given up).
//
// Thread-compatible.
#ifndef OFFICE_CHUNK_SIGNATURES_H_
#define OFFICE_CHUNK_SIGNATURES_H_

#include <deque>
#include <future>
#include <optional>
#include <utility>

#include "ledger/leaf_replay.h"

namespace office {

class ChunkSignatures {
 public:
  static constexpr size_t kInFlight = 4;

  explicit ChunkSignatures(int threads) : threads_(threads) {}

  // Verifies `batch` (leaves after those of every batch started before) on
  // other threads.
  void Start(ledger::DeferredSignatures batch) {
    if (batch.size() == 0) return;
    while (in_flight_.size() >= kInFlight) WaitOldest();
    in_flight_.push_back(std::async(
        std::launch::async,
        [b = std::move(batch), t = threads_] { return b.Verify(t); }));
  }

  // Waits for every batch started; the bad signature of the lowest leaf,
  // if any. The object is then empty, ready for the next chunk.
  std::optional<ledger::LeafFailure> Finish() {
    while (!in_flight_.empty()) WaitOldest();
    std::optional<ledger::LeafFailure> bad = std::move(first_bad_);
    first_bad_.reset();
    return bad;
  }

 private:
  // Batches finish in any order but are waited for in the order started, so
  // the first failure kept is the one of the lowest leaf.
  void WaitOldest() {
    std::optional<ledger::LeafFailure> bad = in_flight_.front().get();
    in_flight_.pop_front();
    if (bad.has_value() && !first_bad_.has_value()) first_bad_ = std::move(bad);
  }

  const int threads_;
  std::deque<std::future<std::optional<ledger::LeafFailure>>> in_flight_;
  std::optional<ledger::LeafFailure> first_bad_;
};

}  // namespace office

#endif  // OFFICE_CHUNK_SIGNATURES_H_
