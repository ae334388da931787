// ChunkSignatures: the envelope signatures of a log's commit chunks,
// verified by a SignaturePool (signature_pool.h: long-lived threads, one per
// core) while the follower fetches and replays the next bundles
// (ledger::LeafReplay::ReplayDeferred), so that one log keeps every core
// busy: the fetch, parse, admission and hashing of a log are sequential,
// its Ed25519 verifies are not. A chunk is committed only after Finish()
// found every signature of it good.
//
// Batches (one per bundle) are started into the open chunk; Seal() closes
// it, and later batches belong to the next chunk, so the follower can go on
// with the next chunk while the sealed one's last batches still verify and
// commit it then (Finish waits only for the oldest sealed chunk's batches):
// the cores need not idle at every commit. Every batch started is queued at
// once (the pool takes them in order); what bounds the memory is the
// follower's one sealed chunk plus the open one (log_follower.h).
// Destroying the object drops the signatures of its batches not started
// and waits for those being verified (their results are dropped: the chunk
// was given up), so a given-up chunk costs the pool nothing more.
//
// Thread-compatible.
#ifndef OFFICE_CHUNK_SIGNATURES_H_
#define OFFICE_CHUNK_SIGNATURES_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "ledger/leaf_replay.h"
#include "office/signature_pool.h"

namespace office {

class ChunkSignatures {
 public:
  // `pool` is not owned and must outlive this.
  explicit ChunkSignatures(SignaturePool* pool) : pool_(pool) {}
  ~ChunkSignatures() {
    for (const Batch& b : in_flight_) pool_->Cancel(b.ticket);
  }
  ChunkSignatures(const ChunkSignatures&) = delete;
  ChunkSignatures& operator=(const ChunkSignatures&) = delete;

  // Queues `batch` (leaves after those of every batch started before) as
  // part of the open chunk.
  void Start(ledger::DeferredSignatures batch) {
    if (batch.size() == 0) return;
    in_flight_.push_back({open_, pool_->Submit(std::move(batch))});
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
      if (!pool_->Ready(b.ticket)) return false;
    }
    return true;
  }

  // Waits for every batch of the oldest sealed chunk; the bad signature of
  // its lowest leaf, if any. The next sealed chunk is then the oldest.
  // REQUIRES: HasSealed().
  std::optional<ledger::LeafFailure> Finish() {
    std::optional<ledger::LeafFailure> bad;
    // In the order started, so the first failure kept is the one of the
    // chunk's lowest leaf.
    while (!in_flight_.empty() && in_flight_.front().chunk == finished_) {
      std::optional<ledger::LeafFailure> b =
          pool_->Wait(in_flight_.front().ticket);
      in_flight_.pop_front();
      if (b.has_value() && !bad.has_value()) bad = std::move(b);
    }
    ++finished_;
    return bad;
  }

 private:
  struct Batch {
    uint64_t chunk;
    SignaturePool::Ticket ticket;
  };

  SignaturePool* const pool_;
  uint64_t open_ = 0;      // the chunk batches are started into
  uint64_t finished_ = 0;  // chunks [0, finished_) were finished
  std::deque<Batch> in_flight_;
};

}  // namespace office

#endif  // OFFICE_CHUNK_SIGNATURES_H_
