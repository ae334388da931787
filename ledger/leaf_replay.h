// LeafReplay: the per-leaf half of the full audit, over leaves in order from
// leaf 0, wherever they come from (the ledger's own store in audit.cc, a
// remote log's verified leaves in api/client/log_audit.h). For each leaf:
//   * the leaf and its envelope parse, integration times never decrease;
//   * the envelope is admitted (admission.h, kReplay) under the key registry
//     replayed so far, and applied to it;
//   * its RFC 6962 leaf hash is appended to a CompactRange;
// and, per chunk, every envelope's signature is verified on `threads`
// threads. The first failure names its leaf; after a failure the object must
// not be used again.
//
// A follower may split a chunk's two halves (ReplayDeferred, then
// DeferredSignatures::Verify on a thread of its own) so that the signatures
// of one chunk are verified while the next chunk is fetched and replayed.
//
// Thread-compatible (it starts and joins its own signature threads).
#ifndef LEDGER_LEAF_REPLAY_H_
#define LEDGER_LEAF_REPLAY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry/envelope.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ledger {

struct LeafFailure {
  uint64_t index = 0;
  std::string problem;  // "leaf <index>: <why>"
};

// The envelope signatures of replayed leaves, not verified yet: each
// envelope with the signer key its admission resolved (keys enrolled earlier
// in the same chunk included). Thread-compatible; Verify may run on another
// thread than the replay that filled it.
class DeferredSignatures {
 public:
  explicit DeferredSignatures(std::string origin)
      : origin_(std::move(origin)) {}

  void Add(uint64_t index, entry::Envelope envelope, crypto::PublicKey key) {
    pending_.push_back({index, std::move(envelope), std::move(key)});
  }
  size_t size() const { return pending_.size(); }
  // Verifies every signature on `threads` threads; the failure of the
  // lowest leaf index, if any.
  std::optional<LeafFailure> Verify(int threads) const;
  // Verifies the `i`-th signature added (i < size()) alone, so that a pool
  // of long-lived threads can share the work (office/signature_pool.h);
  // its failure, if any.
  std::optional<LeafFailure> VerifyOne(size_t i) const;

 private:
  struct Pending {
    uint64_t index;
    entry::Envelope envelope;
    crypto::PublicKey key;
  };
  std::string origin_;
  std::vector<Pending> pending_;
};

class LeafReplay {
 public:
  // Called after each leaf is appended: its index, the range (size index+1)
  // and the perfect nodes that leaf completed (CompactRange::Append).
  using Observer = std::function<void(
      uint64_t index, const merkle::CompactRange& range,
      absl::Span<const std::pair<merkle::NodeId, merkle::Hash>> completed)>;

  // `origin`: the log's origin (it is in every signed message).
  // `verify_signatures` false skips the signatures (a reader that needs only
  // the content of a log whose checkpoint already covers the leaves).
  LeafReplay(std::string origin, int threads, bool verify_signatures = true)
      : origin_(std::move(origin)),
        threads_(threads < 1 ? 1 : threads),
        verify_signatures_(verify_signatures) {}

  // Resumes a replay stopped after `range.size()` leaves, from the state
  // it had then (registry(), range(), last_time_micros()) as a follower
  // persisted it (the AI Office monitor, office/replay_state.h), so leaves
  // already replayed are not replayed again.
  LeafReplay(std::string origin, int threads, bool verify_signatures,
             KeyRegistry registry, merkle::CompactRange range,
             int64_t last_time_micros)
      : origin_(std::move(origin)),
        threads_(threads < 1 ? 1 : threads),
        verify_signatures_(verify_signatures),
        registry_(std::move(registry)),
        range_(std::move(range)),
        last_time_(last_time_micros) {}

  // Replays `leaves`, which are leaves [leaves_done(), leaves_done() + n).
  // A parse, time or admission failure is returned at once (the signatures
  // of the leaves before it are not checked then); otherwise the first bad
  // signature of the chunk. `observer` may be empty.
  std::optional<LeafFailure> Replay(absl::Span<const std::string> leaves,
                                    const Observer& observer = nullptr);

  // Replay without the signature check: the envelopes and their signer keys
  // are appended to `*signatures` instead (when verify_signatures). The
  // leaves count as replayed; the caller must not trust (commit) them
  // before signatures->Verify succeeded, and must drop the object if it
  // fails.
  std::optional<LeafFailure> ReplayDeferred(
      absl::Span<const std::string> leaves, DeferredSignatures* signatures,
      const Observer& observer = nullptr);
  // The same, with the leaves' RFC 6962 hashes computed already
  // (leaf_hashes[k] == merkle::HashLeaf(leaves[k]): a tile client checked
  // them against the tiles, api/client/tile_tree.h), so that no leaf is
  // hashed twice. REQUIRES: leaf_hashes.size() == leaves.size().
  std::optional<LeafFailure> ReplayDeferred(
      absl::Span<const std::string> leaves,
      absl::Span<const merkle::Hash> leaf_hashes,
      DeferredSignatures* signatures, const Observer& observer = nullptr);

  const std::string& origin() const { return origin_; }
  int threads() const { return threads_; }

  uint64_t leaves_done() const { return range_.size(); }
  const KeyRegistry& registry() const { return registry_; }
  const merkle::CompactRange& range() const { return range_; }
  // The integration time of the last leaf replayed (0 before any).
  int64_t last_time_micros() const { return last_time_; }
  // For a follower persisting the registry incrementally (TakeDirty,
  // TakeLogKeysDirty); the replay's checks rely on it being left unchanged
  // otherwise.
  KeyRegistry& mutable_registry() { return registry_; }

 private:
  // ReplayDeferred's work; `leaf_hashes` empty: hashed here.
  std::optional<LeafFailure> ReplayLeaves(
      absl::Span<const std::string> leaves,
      absl::Span<const merkle::Hash> leaf_hashes,
      DeferredSignatures* signatures, const Observer& observer);

  const std::string origin_;
  const int threads_;
  const bool verify_signatures_;
  KeyRegistry registry_;
  merkle::CompactRange range_;
  int64_t last_time_ = 0;
};

}  // namespace ledger

#endif  // LEDGER_LEAF_REPLAY_H_
