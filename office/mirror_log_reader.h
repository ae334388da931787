// MirrorLogReader: the api::client::LogReader over the monitor's mirror of
// one log, so the index replay (api/index/index_replay.h, what `ledgerctl
// verify-index` runs) reads the entries the monitor already verified
// instead of fetching them again. Every leaf it returns was checked against
// the log's tiles and replayed when it was mirrored (mirror.h); it proves
// nothing again and serves no proofs.
//
// LatestCheckpoint is the mirror's verified tree: its size is the verified
// size and its root the fold of the stored frontier (the note is that of
// the accepted checkpoint when the whole tree is verified, else empty, as
// TreeAt of a tiles reader). A reader made with `pinned` answers that
// checkpoint instead (the one a witness request names).
//
// CheckpointAt, ProveLeaf and ProveConsistency: kUnimplemented (the
// mirror keeps leaves, not the log's proofs). Not thread-safe.
#ifndef OFFICE_MIRROR_LOG_READER_H_
#define OFFICE_MIRROR_LOG_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/client/log_reader.h"
#include "office/mirror.h"

namespace office {

class MirrorLogReader : public api::client::LogReader {
 public:
  // `mirror` is not owned and must outlive this. REQUIRES for `pinned`: a
  // checkpoint of `origin` whose tree the monitor verified (size <= the
  // verified size; LatestCheckpoint says kOutOfRange otherwise).
  MirrorLogReader(
      const Mirror* mirror, std::string origin,
      std::optional<api::client::VerifiedCheckpoint> pinned = std::nullopt)
      : mirror_(mirror), origin_(std::move(origin)), pinned_(pinned) {}

  std::string Source() const override;
  std::string Origin() const override { return origin_; }
  absl::StatusOr<api::client::VerifiedCheckpoint> LatestCheckpoint() override;
  absl::StatusOr<api::client::VerifiedCheckpoint> CheckpointAt(
      uint64_t size) override;
  absl::StatusOr<std::vector<api::client::VerifiedLeaf>> ReadLeaves(
      const api::client::VerifiedCheckpoint& at, uint64_t start,
      uint64_t max_count) override;
  absl::StatusOr<api::client::ProvenLeaf> ProveLeaf(
      const api::client::VerifiedCheckpoint& at, uint64_t index) override;
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const api::client::VerifiedCheckpoint& older,
      const api::client::VerifiedCheckpoint& newer) override;

 private:
  const Mirror* const mirror_;
  const std::string origin_;
  const std::optional<api::client::VerifiedCheckpoint> pinned_;
};

}  // namespace office

#endif  // OFFICE_MIRROR_LOG_READER_H_
