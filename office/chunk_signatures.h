// ChunkSignatures: the envelope signatures of a log's commit chunks,
// verified on other threads while the follower fetches and replays the next
// bundles (ledger::LeafReplay::ReplayDeferred), so that one log keeps every
// core busy: the fetch, parse, admission and hashing of a log are sequential,
// its Ed25519 verifies are not. A chunk is committed only after Finish()
// found every signature of it good.
//
// Batches (one per bundle) are started into the open chunk; Seal() closes
// it, and later batches belong to the next chunk, so the follower can go on
// with the next chunk while the sealed one's last batches still verify and
// commit it then (Finish waits only for the oldest sealed chunk's batches):
// the cores need not idle at every commit.
//
// At most kInFlight batches run at once (each on `threads` threads); Start
// waits for the oldest beyond that. Four, not fewer: the follower's thread
// also waits on HTTP, and with one or two batches queued the cores idled
// meanwhile (follow_bench, one log: 48-50 % of the limit with one, 55-65 %
// with two, 66-69 % with four; docs/PERFORMANCE.md). Destroying the object
// waits for the batches still running (their results are dropped: the chunk
// was given up).
//
// Thread-compatible.
#ifndef OFFICE_CHUNK_SIGNATURES_H_
#define OFFICE_CHUNK_SIGNATURES_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <utility>

#include "ledger/leaf_replay.h"

namespace office {

class ChunkSignatures {
 public:
  static constexpr size_t kInFlight = 4;

  explicit ChunkSignatures(int threads) : threads_(threads) {}

  // Verifies `batch` (leaves after those of every batch started before) on
  // other threads, as part of the open chunk.
  void Start(ledger::DeferredSignatures batch) {
    if (batch.size() == 0) return;
    while (in_flight_.size() >= kInFlight) WaitOldest();
    in_flight_.push_back(
        {open_,
         std::async(std::launch::async, [b = std::move(batch), t = threads_] {
           return b.Verify(t);
         })});
  }

  // Closes the open chunk: batches started from now on belong to the next.
  void Seal() { ++open_; }

  // True when a chunk is sealed and not finished yet.
  bool HasSealed() const { return finished_ < open_; }

  // True when every batch of the oldest sealed chunk is done (Finish would
  // not wait). Never blocks. REQUIRES: HasSealed().
  bool OldestReady() const {
    for (const Batch& b : in_flight_) {
      if (b.chunk != finished_) break;
      if (b.result.wait_for(std::chrono::seconds(0)) !=
          std::future_status::ready) {
        return false;
      }
    }
    return true;
  }

  // Waits for every batch of the oldest sealed chunk; the bad signature of
  // its lowest leaf, if any. The next sealed chunk is then the oldest.
  // REQUIRES: HasSealed().
  std::optional<ledger::LeafFailure> Finish() {
    while (!in_flight_.empty() && in_flight_.front().chunk == finished_) {
      WaitOldest();
    }
    std::optional<ledger::LeafFailure> bad;
    if (auto it = first_bad_.find(finished_); it != first_bad_.end()) {
      bad = std::move(it->second);
      first_bad_.erase(it);
    }
    ++finished_;
    return bad;
  }

 private:
  struct Batch {
    uint64_t chunk;
    std::future<std::optional<ledger::LeafFailure>> result;
  };

  // Batches finish in any order but are waited for in the order started, so
  // the first failure kept for a chunk is the one of its lowest leaf.
  void WaitOldest() {
    Batch b = std::move(in_flight_.front());
    in_flight_.pop_front();
    std::optional<ledger::LeafFailure> bad = b.result.get();
    if (bad.has_value()) first_bad_.emplace(b.chunk, *std::move(bad));
  }

  const int threads_;
  uint64_t open_ = 0;      // the chunk batches are started into
  uint64_t finished_ = 0;  // chunks [0, finished_) were finished
  std::deque<Batch> in_flight_;
  // The first bad signature of chunks not finished yet (emplace keeps the
  // first).
  std::map<uint64_t, ledger::LeafFailure> first_bad_;
};

}  // namespace office

#endif  // OFFICE_CHUNK_SIGNATURES_H_
