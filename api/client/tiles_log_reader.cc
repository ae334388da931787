#include "api/client/tiles_log_reader.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/client/load_trust.h"
#include "api/client/log_reader_checks.h"
#include "api/client/rotation_verifier.h"
#include "api/client/tiles_checkpoint.h"
#include "api/client/tiles_rotation.h"
#include "common/status_macros.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/tiles/tile_path.h"

namespace api::client {
namespace {

using ledger::merkle::Hash;

}  // namespace

absl::StatusOr<std::unique_ptr<TilesLogReader>> TilesLogReader::Create(
    absl::string_view url, absl::string_view verifier_key,
    std::unique_ptr<HttpGetter> http, TilesLogReaderOptions options) {
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tiles URL: got \"", url, "\", want http://... or https://..."));
  }
  while (absl::EndsWith(url, "/")) url.remove_suffix(1);
  if (http == nullptr) return absl::InvalidArgumentError("http: got null");
  ASSIGN_OR_RETURN(LogVerifier verifier, LogVerifier::Create(verifier_key));
  if (options.witness_policy != nullptr) {
    RETURN_IF_ERROR(CheckPolicyNamesLog(*options.witness_policy, verifier));
  }
  std::unique_ptr<TrustedCheckpointStore> store;
  std::optional<LoadedTrust> loaded;
  if (!options.trusted_store_dir.empty()) {
    ASSIGN_OR_RETURN(store,
                     TrustedCheckpointStore::Open(options.trusted_store_dir));
    ASSIGN_OR_RETURN(loaded, LoadTrust(*store, verifier));
  }
  std::unique_ptr<TilesLogReader> reader(
      new TilesLogReader(std::string(url), std::move(verifier), std::move(http),
                         std::move(store), options));
  if (loaded.has_value()) {
    reader->trusted_ = std::move(loaded->checkpoint);
    reader->verifier_ = std::move(loaded->verifier);
  }
  return reader;
}

absl::StatusOr<VerifiedCheckpoint> TilesLogReader::LatestCheckpoint() {
  for (int rotations = 0;; ++rotations) {
    absl::StatusOr<VerifiedCheckpoint> checkpoint = FetchTilesCheckpoint(
        *http_, url_, verifier_, options_.witness_policy.get());
    if (checkpoint.ok()) {
      RETURN_IF_ERROR(Trust(*checkpoint));
      return checkpoint;
    }
    // Signed by another key (kDataLoss): maybe the next log key.
    if (!absl::IsDataLoss(checkpoint.status()) ||
        rotations == kMaxRotationsPerCheck) {
      return checkpoint.status();
    }
    RETURN_IF_ERROR(FollowRotation(checkpoint.status()));
  }
}

absl::Status TilesLogReader::FollowRotation(const absl::Status& why) {
  for (uint64_t epoch = next_epoch_; epoch < next_epoch_ + kMaxEpochsProbed;
       ++epoch) {
    absl::StatusOr<VerifiedCheckpoint> handover =
        FetchTilesHandover(*http_, url_, epoch, verifier_);
    if (absl::IsNotFound(handover.status())) return why;  // none (further)
    // Not signed by the trusted key: a handover between older keys.
    if (absl::IsDataLoss(handover.status())) continue;
    RETURN_IF_ERROR(handover.status());
    const uint64_t trusted_size = trusted_ ? trusted_->fields.size : 0;
    // Behind the trusted tree: a handover to the trusted key or before it.
    if (handover->fields.size < trusted_size) continue;
    // Its quorum is not checked: the checkpoint followed next still needs it.
    RETURN_IF_ERROR(Trust(*handover, /*cosigned=*/false));
    ASSIGN_OR_RETURN(
        aifl::api::v1::LogKeyRecord record,
        TilesRotationRecord(
            *this, *handover,
            trusted_size < handover->fields.size ? trusted_size : 0));
    if (record.public_key() == verifier_.public_key().bytes()) {
      next_epoch_ = epoch + 1;  // the handover to the key trusted now
      continue;
    }
    ASSIGN_OR_RETURN(VerifiedRotation rotation,
                     VerifyRotation(verifier_, record));
    verifier_ = std::move(rotation.new_verifier);
    next_epoch_ = epoch + 1;
    // The store keeps the new key with the handover, which it signed too.
    return Save(*trusted_);
  }
  return why;
}

absl::Status TilesLogReader::Trust(const VerifiedCheckpoint& checkpoint,
                                   bool cosigned) {
  const ledger::CheckpointFields& now = checkpoint.fields;
  if (trusted_.has_value()) {
    const ledger::CheckpointFields& was = trusted_->fields;
    if (now.size < was.size) {
      return absl::DataLossError(absl::StrCat("tiles at ", url_,
                                              " rolled back from size ",
                                              was.size, " to ", now.size));
    }
    if (now.size == was.size) {
      if (now.root != was.root) return ForkError(now.size, now.root, was.root);
      if (tree_ == nullptr) {
        ASSIGN_OR_RETURN(tree_,
                         TileTree::Open(http_.get(), url_, now.size, now.root,
                                        options_.max_cached_tiles));
      }
      if (options_.witness_policy != nullptr && cosigned &&
          checkpoint.note != trusted_->note) {
        // Same tree, now with the quorum's cosignatures: keep them.
        RETURN_IF_ERROR(Save(checkpoint));
        trusted_ = checkpoint;
      }
      return absl::OkStatus();
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<TileTree> tree,
                   TileTree::Open(http_.get(), url_, now.size, now.root,
                                  options_.max_cached_tiles));
  if (trusted_.has_value()) {
    ASSIGN_OR_RETURN(std::vector<Hash> proof,
                     ledger::merkle::ConsistencyProof(trusted_->fields.size,
                                                      now.size, *tree));
    RETURN_IF_ERROR(verifier_.VerifyConsistency(trusted_->fields, now, proof));
  }
  RETURN_IF_ERROR(Save(checkpoint));
  trusted_ = checkpoint;
  tree_ = std::move(tree);
  prefixes_.clear();
  return absl::OkStatus();
}

absl::Status TilesLogReader::Save(const VerifiedCheckpoint& checkpoint) {
  if (store_ == nullptr) return absl::OkStatus();
  return store_->Save(TrustedCheckpoint{
      verifier_.origin(), checkpoint.fields.size, checkpoint.fields.root,
      checkpoint.note, verifier_.verifier_key()});
}

absl::StatusOr<VerifiedCheckpoint> TilesLogReader::CheckpointAt(uint64_t size) {
  if (size == 0) return absl::InvalidArgumentError("size: got 0, want > 0");
  ASSIGN_OR_RETURN(VerifiedCheckpoint latest, LatestCheckpoint());
  if (latest.fields.size == size) return latest;
  return absl::UnimplementedError(absl::StrCat(
      "tiles at ", url_, " publish only their latest checkpoint (size ",
      latest.fields.size, "), not one of size ", size));
}

absl::StatusOr<VerifiedCheckpoint> TilesLogReader::TreeAt(uint64_t size) {
  if (size == 0) return absl::InvalidArgumentError("size: got 0, want > 0");
  ASSIGN_OR_RETURN(VerifiedCheckpoint latest, LatestCheckpoint());
  if (size == latest.fields.size) return latest;
  if (size > latest.fields.size) {
    return absl::OutOfRangeError(absl::StrCat("size ", size,
                                              " is beyond the latest "
                                              "checkpoint (size ",
                                              latest.fields.size, ")"));
  }
  // The perfect subtrees of size's binary decomposition are nodes of the
  // latest tree, each verified up to its root by the tile tree.
  ASSIGN_OR_RETURN(std::vector<Hash> frontier,
                   tree_->ReadNodes(ledger::merkle::RangeNodes(0, size)));
  VerifiedCheckpoint older{
      {latest.fields.origin, size, ledger::merkle::FoldSubtrees(frontier)}, ""};
  // Belt and braces: a consistency proof from the same tiles must show it a
  // prefix of the signed tree (TreeFor checks and remembers it).
  RETURN_IF_ERROR(TreeFor(older).status());
  return older;
}

absl::StatusOr<TileTree*> TilesLogReader::TreeFor(
    const VerifiedCheckpoint& at) {
  if (tree_ == nullptr || at.fields.size > tree_->size()) {
    RETURN_IF_ERROR(LatestCheckpoint().status());
  }
  if (at.fields.size > tree_->size()) {
    return absl::DataLossError(absl::StrCat(
        "tiles at ", url_, " serve the tree of size ", tree_->size(),
        ", smaller than the checkpoint asked about (size ", at.fields.size,
        ")"));
  }
  if (at.fields.size == tree_->size()) {
    if (at.fields.root != tree_->root()) {
      return ForkError(at.fields.size, tree_->root(), at.fields.root);
    }
    return tree_.get();
  }
  const auto key = std::make_pair(at.fields.size, at.fields.root);
  if (std::find(prefixes_.begin(), prefixes_.end(), key) == prefixes_.end()) {
    ASSIGN_OR_RETURN(std::vector<Hash> proof,
                     ledger::merkle::ConsistencyProof(at.fields.size,
                                                      tree_->size(), *tree_));
    RETURN_IF_ERROR(
        verifier_.VerifyConsistency(at.fields, trusted_->fields, proof));
    prefixes_.push_back(key);
  }
  return tree_.get();
}

absl::StatusOr<std::vector<VerifiedLeaf>> TilesLogReader::ReadLeaves(
    const VerifiedCheckpoint& at, uint64_t start, uint64_t max_count) {
  RETURN_IF_ERROR(CheckLeafInTree(at, start));
  if (max_count == 0) {
    return absl::InvalidArgumentError("max_count: got 0, want > 0");
  }
  ASSIGN_OR_RETURN(TileTree * tree, TreeFor(at));
  const uint64_t bundle = start / ledger::tiles::kTileWidth;
  ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<std::string>> leaves,
                   tree->Bundle(bundle));
  const uint64_t first = bundle * ledger::tiles::kTileWidth;
  const uint64_t end = std::min({at.fields.size, first + leaves->size(),
                                 start + std::min(max_count, at.fields.size)});
  std::vector<VerifiedLeaf> out;
  out.reserve(end - start);
  for (uint64_t i = start; i < end; ++i) {
    out.push_back(VerifiedLeaf{i, (*leaves)[i - first]});
  }
  return out;
}

absl::StatusOr<ProvenLeaf> TilesLogReader::ProveLeaf(
    const VerifiedCheckpoint& at, uint64_t index) {
  ASSIGN_OR_RETURN(std::vector<VerifiedLeaf> leaves, ReadLeaves(at, index, 1));
  ASSIGN_OR_RETURN(TileTree * tree, TreeFor(at));
  ASSIGN_OR_RETURN(std::vector<Hash> proof, ledger::merkle::InclusionProof(
                                                index, at.fields.size, *tree));
  RETURN_IF_ERROR(verifier_.VerifyInclusion(
      index, ledger::merkle::HashLeaf(leaves[0].leaf), proof, at.fields));
  return ProvenLeaf{index, std::move(leaves[0].leaf), std::move(proof)};
}

absl::StatusOr<std::vector<Hash>> TilesLogReader::ProveConsistency(
    const VerifiedCheckpoint& older, const VerifiedCheckpoint& newer) {
  RETURN_IF_ERROR(CheckConsistencyOrder(older, newer));
  if (older.fields.size == newer.fields.size) {
    if (older.fields.root != newer.fields.root) {
      return ForkError(newer.fields.size, newer.fields.root, older.fields.root);
    }
    return std::vector<Hash>{};
  }
  ASSIGN_OR_RETURN(TileTree * tree, TreeFor(newer));
  ASSIGN_OR_RETURN(std::vector<Hash> proof,
                   ledger::merkle::ConsistencyProof(older.fields.size,
                                                    newer.fields.size, *tree));
  RETURN_IF_ERROR(
      verifier_.VerifyConsistency(older.fields, newer.fields, proof));
  return proof;
}

}  // namespace api::client
