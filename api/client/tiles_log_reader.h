// TilesLogReader: a LogReader over C2SP tlog-tiles served by any web server
// (ledger_server --http_listen, or nginx / an object store over a
// `ledgerctl publish` folder): GET <url>/checkpoint, <url>/tile/<L>/<N>[.p/W]
// and <url>/tile/entries/<N>[.p/W] (../../shared/FEDERATION.md).
//
// Verifies everything (log_reader.h): the checkpoint's signature under the
// trusted verifier key; a new checkpoint's consistency with the trusted one,
// by a proof it builds from the new tree's tiles; every tile up to the root
// and every leaf against the hash tiles (tile_tree.h); inclusion and
// consistency proofs built from verified tiles and checked again with
// LogVerifier. Reads always go through the tiles of the trusted checkpoint's
// tree; a smaller checkpoint a caller passes is first proven a prefix of it.
//
// With a witness policy (TilesLogReaderOptions::witness_policy) the
// published checkpoint must also carry the quorum's cosignatures; the
// trusted store then keeps the note with them.
//
// Tiles publish only the latest checkpoint: CheckpointAt answers only for
// the latest size (kUnimplemented otherwise). TreeAt answers for any
// smaller size: tiles hold every node, so its root is the fold of the
// verified nodes of that size's frontier, proven a prefix of the latest
// tree by a consistency proof built from the same tiles.
//
// Log-key rotations are followed as the AI Office monitor follows them
// (ledger/FORMAT.md, "Tiles"): when /checkpoint is not signed by the key
// trusted now, the reader fetches the handover checkpoint of the next key
// (`<url>/log-key-handover/<E>`, served by ledger_server --http_listen and
// written by `ledgerctl publish`), verified under the trusted key, trusts its
// tree (consistent with the trusted checkpoint), reads the LogKey leaf from
// it and checks the rotation with the gRPC client's own check
// (tiles_rotation.h, rotation_verifier.h); it then trusts the new key (kept
// in the trusted store) and verifies /checkpoint again (at most
// kMaxRotationsPerCheck rotations per call). Without a handover served the
// signature failure stands (kDataLoss).
//
// Not thread-safe.
#ifndef API_CLIENT_TILES_LOG_READER_H_
#define API_CLIENT_TILES_LOG_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/client/http_getter.h"
#include "api/client/log_reader.h"
#include "api/client/log_verifier.h"
#include "api/client/tile_tree.h"
#include "api/client/trusted_checkpoint_store.h"
#include "api/client/witness_quorum_check.h"

namespace api::client {

struct TilesLogReaderOptions {
  // Folder of the trusted-checkpoint store (trusted_checkpoint_store.h),
  // shared with the gRPC client; "" keeps trust in memory only. Default: "".
  std::string trusted_store_dir;
  // Full hash tiles kept in memory (8 KiB each). Default: 64.
  size_t max_cached_tiles = 64;
  // A tlog-policy (witness_quorum_check.h): when set, /checkpoint is
  // accepted only when the policy's quorum cosigned it (kFailedPrecondition
  // naming the missing witnesses otherwise; nothing is trusted then).
  // Default: null (no witnesses needed).
  std::shared_ptr<const WitnessPolicy> witness_policy;
};

class TilesLogReader : public LogReader {
 public:
  // Rotations followed in one LatestCheckpoint at most, and log-key epochs
  // probed for the next handover: more is not a plausible operation; stop
  // rather than loop on a hostile server.
  static constexpr int kMaxRotationsPerCheck = 8;
  static constexpr uint64_t kMaxEpochsProbed = 64;

  // `url`: the tiles' prefix, http:// or https:// (a trailing '/' is
  // ignored). `verifier_key`: the log's note verifier key. Loads and
  // re-verifies the trusted checkpoint from the store, if any; fetches
  // nothing. kInvalidArgument for a bad URL or key; kDataLoss when the
  // stored checkpoint does not verify; the store's errors.
  static absl::StatusOr<std::unique_ptr<TilesLogReader>> Create(
      absl::string_view url, absl::string_view verifier_key,
      std::unique_ptr<HttpGetter> http, TilesLogReaderOptions options = {});

  // Verifies a checkpoint note kept from an earlier run (e.g. `grew
  // --since`) under the trusted key, without reconciling it. kDataLoss when
  // it does not verify.
  absl::StatusOr<VerifiedCheckpoint> VerifyNote(absl::string_view note) const {
    return verifier_.VerifyCheckpoint(note);
  }

  std::string Source() const override { return "tiles " + url_; }
  std::string Origin() const override { return verifier_.origin(); }
  absl::StatusOr<VerifiedCheckpoint> LatestCheckpoint() override;
  absl::StatusOr<VerifiedCheckpoint> CheckpointAt(uint64_t size) override;
  // An unsigned tree (empty note) for a size below the latest checkpoint.
  absl::StatusOr<VerifiedCheckpoint> TreeAt(uint64_t size) override;
  // Returns at most the rest of one entry bundle (256 leaves).
  absl::StatusOr<std::vector<VerifiedLeaf>> ReadLeaves(
      const VerifiedCheckpoint& at, uint64_t start,
      uint64_t max_count) override;
  absl::StatusOr<ProvenLeaf> ProveLeaf(const VerifiedCheckpoint& at,
                                       uint64_t index) override;
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const VerifiedCheckpoint& older,
      const VerifiedCheckpoint& newer) override;

 private:
  TilesLogReader(std::string url, LogVerifier verifier,
                 std::unique_ptr<HttpGetter> http,
                 std::unique_ptr<TrustedCheckpointStore> store,
                 TilesLogReaderOptions options)
      : url_(std::move(url)),
        verifier_(std::move(verifier)),
        http_(std::move(http)),
        store_(std::move(store)),
        options_(std::move(options)) {}

  // Reconciles a verified checkpoint with the trusted one, then trusts it.
  // `cosigned`: it passed the witness policy, if any (a note of the trusted
  // tree then replaces the stored one, to keep its cosignatures).
  absl::Status Trust(const VerifiedCheckpoint& checkpoint,
                     bool cosigned = true);
  // Follows the log to the handover of the key after the trusted one and
  // trusts that key (see the file comment); `why` (the signature failure)
  // when no such handover is served.
  absl::Status FollowRotation(const absl::Status& why);
  // Writes `checkpoint` (its note as received, cosignatures included) to
  // the store, if any.
  absl::Status Save(const VerifiedCheckpoint& checkpoint);
  // The tiles of the trusted tree, after proving `at` a prefix of it.
  absl::StatusOr<TileTree*> TreeFor(const VerifiedCheckpoint& at);

  const std::string url_;
  LogVerifier verifier_;
  std::unique_ptr<HttpGetter> http_;
  std::unique_ptr<TrustedCheckpointStore> store_;  // null: memory only
  const TilesLogReaderOptions options_;
  std::optional<VerifiedCheckpoint> trusted_;
  std::unique_ptr<TileTree> tree_;  // of trusted_, once opened
  // Checkpoints (size, root) proven to be prefixes of trusted_.
  std::vector<std::pair<uint64_t, ledger::merkle::Hash>> prefixes_;
  // The first log-key epoch whose handover may hand over from verifier_
  // (epochs before it were followed or are older than the trusted key).
  uint64_t next_epoch_ = 1;
};

}  // namespace api::client

#endif  // API_CLIENT_TILES_LOG_READER_H_
