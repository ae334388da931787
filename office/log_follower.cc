#include "office/log_follower.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "api/client/tiles_checkpoint.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/tiles/tile_path.h"
#include "office/bundle_prefetch.h"
#include "office/replay_state.h"

namespace office {
namespace {

using api::client::VerifiedCheckpoint;
using ledger::tiles::kTileWidth;

// The largest valid entry bundle: 256 entries of 2 + 65,535 bytes.
constexpr size_t kMaxBundleBytes = kTileWidth * (2 + 65535);

}  // namespace

LogFollower::LogFollower(FollowedLog log, Mirror* mirror,
                         std::unique_ptr<api::client::HttpGetter> http,
                         api::client::LogVerifier verifier,
                         const common::Clock* clock, FollowerOptions options)
    : log_(std::move(log)),
      mirror_(mirror),
      http_(std::move(http)),
      verifier_(verifier),
      current_(std::move(verifier)),
      clock_(clock),
      options_(options),
      signature_pool_(options_.signature_pool != nullptr
                          ? options_.signature_pool
                          : std::make_shared<SignaturePool>(options_.threads)) {
}

absl::StatusOr<std::unique_ptr<LogFollower>> LogFollower::Create(
    FollowedLog log, Mirror* mirror,
    std::unique_ptr<api::client::HttpGetter> http, const common::Clock* clock,
    FollowerOptions options) {
  ASSIGN_OR_RETURN(api::client::LogVerifier verifier,
                   api::client::LogVerifier::Create(log.vkey));
  std::unique_ptr<LogFollower> f(
      new LogFollower(std::move(log), mirror, std::move(http),
                      std::move(verifier), clock, options));
  if (!f->log_.index_of.empty()) {
    f->index_check_ =
        std::make_unique<IndexCheck>(mirror, f->log_.origin, f->log_.index_of);
  }
  RETURN_IF_ERROR(f->Load());
  return f;
}

absl::Status LogFollower::Load() {
  ASSIGN_OR_RETURN(std::optional<FollowState> state,
                   mirror_->LoadFollowState(log_.origin));
  state_ = state.value_or(FollowState());
  stopped_ = state_.stopped();
  accepted_.reset();
  tree_.reset();
  ASSIGN_OR_RETURN(std::vector<ledger::KeyInfo> keys,
                   mirror_->LoadKeys(log_.origin));
  ASSIGN_OR_RETURN(replay_, ResumeReplay(log_.origin, options_.threads, state_,
                                         std::move(keys)));
  current_ = verifier_;
  log_key_epochs_ = 0;
  FollowLogKey();
  if (!state_.checkpoint_note().empty()) {
    absl::StatusOr<VerifiedCheckpoint> accepted =
        current_.VerifyCheckpoint(state_.checkpoint_note());
    if (!accepted.ok())
      accepted = verifier_.VerifyCheckpoint(state_.checkpoint_note());
    if (!accepted.ok()) {
      return absl::DataLossError(
          absl::StrCat("stored checkpoint of ", log_.origin,
                       " does not verify: ", accepted.status().message()));
    }
    accepted_ = *std::move(accepted);
  }
  return absl::OkStatus();
}

void LogFollower::NoteIndexWait(absl::Time now) {
  if (index_check_ == nullptr) return;
  const std::optional<IndexInputWait>& wait = index_check_->waiting();
  if (stopped_ || !wait.has_value()) {
    index_wait_.reset();
    return;
  }
  // The same leaf waiting keeps its first-seen time; the sizes are the
  // last check's.
  const absl::Time since =
      index_wait_.has_value() && index_wait_->leaf == wait->leaf
          ? index_wait_->since
          : now;
  index_wait_ = *wait;
  index_wait_->since = since;
  index_wait_->seen = now;
}

void LogFollower::FollowLogKey() {
  const ledger::LogKeyHistory& keys = replay_->registry().log_keys();
  if (keys.epochs().size() <= log_key_epochs_) return;
  log_key_epochs_ = keys.epochs().size();
  // A key the leaves announced passed admission (an admin-signed LogKey of
  // this origin with a valid key): it always makes a verifier key.
  absl::StatusOr<api::client::LogVerifier> key =
      api::client::LogVerifier::Create(
          ledger::LogVerifierKey(log_.origin, keys.current().key));
  if (key.ok()) current_ = *std::move(key);
}

absl::StatusOr<StepOutcome> LogFollower::Step() {
  StepOutcome outcome;
  step_waited_ = false;
  if (!stopped_) {
    absl::StatusOr<std::optional<LogIncident>> incident = Advance(&outcome);
    NoteIndexWait(clock_->Now());
    if (!incident.ok()) {
      // What is in memory may be ahead of what was stored: start again from
      // the stored state.
      if (absl::Status reloaded = Load(); !reloaded.ok()) return reloaded;
      return incident.status();
    }
    outcome.incident = *std::move(incident);
  }
  outcome.verified_size = state_.verified_size();
  outcome.checkpoint_size = accepted_ ? accepted_->fields.size : 0;
  return outcome;
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::Advance(
    StepOutcome* outcome) {
  ASSIGN_OR_RETURN(VerifiedCheckpoint latest, FetchCheckpoint());
  ASSIGN_OR_RETURN(std::optional<LogIncident> incident, Accept(latest));
  if (incident.has_value()) return incident;
  return MirrorEntries(outcome);
}

absl::StatusOr<VerifiedCheckpoint> LogFollower::FetchCheckpoint() {
  // An unsigned or badly signed note proves nothing about the log (anyone
  // can serve one), nor does one the quorum has not cosigned yet: errors,
  // never incidents.
  const api::client::WitnessPolicy* policy =
      log_.policy.has_value() ? &*log_.policy : nullptr;
  absl::StatusOr<VerifiedCheckpoint> latest = api::client::FetchTilesCheckpoint(
      *http_, log_.tiles_url, current_, policy);
  if (!absl::IsDataLoss(latest.status())) return latest;
  // The configured key stays trusted (a config updated to a new key).
  if (current_.verifier_key() != verifier_.verifier_key()) {
    absl::StatusOr<VerifiedCheckpoint> configured =
        api::client::FetchTilesCheckpoint(*http_, log_.tiles_url, verifier_,
                                          policy);
    if (!absl::IsDataLoss(configured.status())) return configured;
  }
  // Under a tlog-policy every checkpoint accepted needs its quorum, and no
  // witness cosigned a handover (it is served apart from the checkpoints
  // they cosign): following it would accept, mirror, cosign and record a
  // tree no quorum saw. The log waits, as a policy-checking client does
  // (api/client/witness_quorum_check.h), until the config names the new key.
  if (policy != nullptr) {
    return absl::DataLossError(absl::StrCat(
        latest.status().message(),
        "; a log-key rotation is not followed through its handover under a "
        "tlog-policy (no quorum cosigned it): name the new key in the "
        "config"));
  }
  // Signed by another key: a rotation's handover checkpoint, signed by the
  // key trusted now too, is the next target (never one behind the accepted
  // checkpoint).
  absl::StatusOr<VerifiedCheckpoint> handover = api::client::FetchTilesHandover(
      *http_, log_.tiles_url, std::max<size_t>(1, log_key_epochs_), current_);
  if (handover.ok() && (!accepted_.has_value() ||
                        handover->fields.size >= accepted_->fields.size)) {
    return handover;
  }
  return latest.status();
}

LogIncident LogFollower::Incident(IncidentKind kind, std::string reason,
                                  std::string offending_note) const {
  LogIncident i;
  i.origin = log_.origin;
  i.kind = kind;
  i.reason = std::move(reason);
  i.accepted_note = accepted_ ? accepted_->note : "";
  i.offending_note = std::move(offending_note);
  i.detected_unix_seconds = absl::ToUnixSeconds(clock_->Now());
  return i;
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::StopWith(
    LogIncident incident) {
  ASSIGN_OR_RETURN(incident.stopped_at_size,
                   mirror_->VerifiedSize(log_.origin));
  RETURN_IF_ERROR(mirror_->Stop(incident));
  stopped_ = true;
  return std::optional<LogIncident>(std::move(incident));
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::Accept(
    const VerifiedCheckpoint& latest) {
  const ledger::CheckpointFields& now = latest.fields;
  if (accepted_.has_value()) {
    const ledger::CheckpointFields& was = accepted_->fields;
    if (now.size < was.size) {
      return StopWith(Incident(
          IncidentKind::kRollback,
          absl::StrCat("rolled back from size ", was.size, " to ", now.size),
          latest.note));
    }
    if (now.size == was.size) {
      if (now.root == was.root) return std::nullopt;
      return StopWith(Incident(
          IncidentKind::kFork,
          std::string(
              api::client::ForkError(now.size, now.root, was.root).message()),
          latest.note));
    }
  }
  absl::StatusOr<std::unique_ptr<api::client::TileTree>> tree =
      api::client::TileTree::Open(http_.get(), log_.tiles_url, now.size,
                                  now.root, options_.max_cached_tiles);
  if (absl::IsDataLoss(tree.status())) {
    return StopWith(Incident(IncidentKind::kBadTile,
                             std::string(tree.status().message()),
                             latest.note));
  }
  RETURN_IF_ERROR(tree.status());
  if (accepted_.has_value()) {
    const ledger::CheckpointFields& was = accepted_->fields;
    absl::StatusOr<std::vector<ledger::merkle::Hash>> proof =
        ledger::merkle::ConsistencyProof(was.size, now.size, **tree);
    if (absl::IsDataLoss(proof.status())) {
      return StopWith(Incident(IncidentKind::kBadTile,
                               std::string(proof.status().message()),
                               latest.note));
    }
    RETURN_IF_ERROR(proof.status());
    if (absl::Status consistent = verifier_.VerifyConsistency(was, now, *proof);
        !consistent.ok()) {
      return StopWith(Incident(IncidentKind::kFork,
                               std::string(consistent.message()), latest.note));
    }
  }
  FollowState next = state_;
  next.set_checkpoint_note(latest.note);
  FollowCommit commit;
  commit.origin = log_.origin;
  commit.state = next;
  commit.first_index = state_.verified_size();
  commit.checkpoint_verified = now.size == state_.verified_size();
  RETURN_IF_ERROR(mirror_->Commit(commit));
  state_ = std::move(next);
  accepted_ = latest;
  tree_ = *std::move(tree);
  if (options_.on_commit)
    options_.on_commit(state_.verified_size(), now.size, 0);
  return std::nullopt;
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::MirrorEntries(
    StepOutcome* outcome) {
  if (!accepted_.has_value()) return std::nullopt;
  const uint64_t size = accepted_->fields.size;
  uint64_t next = state_.verified_size();
  if (next >= size) return std::nullopt;
  if (tree_ == nullptr) {
    absl::StatusOr<std::unique_ptr<api::client::TileTree>> tree =
        api::client::TileTree::Open(http_.get(), log_.tiles_url, size,
                                    accepted_->fields.root,
                                    options_.max_cached_tiles);
    if (absl::IsDataLoss(tree.status())) {
      return StopWith(Incident(IncidentKind::kBadTile,
                               std::string(tree.status().message()),
                               accepted_->note));
    }
    RETURN_IF_ERROR(tree.status());
    tree_ = *std::move(tree);
  }
  Chunks chunks(signature_pool_.get());
  // Destroyed before `chunks`: its fetch in flight is waited for first.
  BundlePrefetch prefetch(tree_.get(), (size - 1) / kTileWidth);
  while (next < size) {
    const uint64_t bundle = next / kTileWidth;
    absl::StatusOr<BundlePrefetch::Leaves> leaves = prefetch.Take(bundle);
    if (!leaves.ok()) {
      // Nothing is fetched after a failed bundle: the tree is free again.
      // The sealed chunk is settled first, as if committed before this fetch.
      ASSIGN_OR_RETURN(std::optional<LogIncident> incident,
                       CommitSealed(&chunks, outcome));
      if (incident.has_value()) return incident;
      if (absl::IsDataLoss(leaves.status())) {
        return BundleIncident(bundle, leaves.status());
      }
      return leaves.status();
    }
    const uint64_t first = bundle * kTileWidth;
    const uint64_t end = std::min(size, first + (*leaves)->leaves.size());
    const size_t from = chunks.open.size();
    const absl::Span<const ledger::merkle::Hash> hashes =
        absl::MakeConstSpan((*leaves)->leaf_hashes)
            .subspan(next - first, end - next);
    for (; next < end; ++next) {
      chunks.open.push_back((*leaves)->leaves[next - first]);
    }
    ASSIGN_OR_RETURN(
        std::optional<LogIncident> incident,
        ReplayBundle(from, hashes, next == size, &chunks, outcome));
    if (incident.has_value()) return incident;
  }
  return CommitSealed(&chunks, outcome);
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::ReplayBundle(
    size_t from, absl::Span<const ledger::merkle::Hash> leaf_hashes, bool last,
    Chunks* chunks, StepOutcome* outcome) {
  // Replayed as it arrives; its signatures are verified on other threads
  // while the next bundles are fetched and replayed.
  ledger::DeferredSignatures batch(log_.origin);
  if (std::optional<ledger::LeafFailure> bad = replay_->ReplayDeferred(
          absl::MakeConstSpan(chunks->open).subspan(from), leaf_hashes,
          &batch)) {
    ASSIGN_OR_RETURN(std::optional<LogIncident> incident,
                     CommitSealed(chunks, outcome));
    if (incident.has_value()) return incident;
    return StopWith(BadEntry(*bad));
  }
  chunks->signatures.Start(std::move(batch));
  if (chunks->open.size() >= options_.max_entries_per_commit || last) {
    // One sealed chunk at most (the memory bound): the one before goes
    // first; this one is committed while the next is fetched and replayed.
    ASSIGN_OR_RETURN(std::optional<LogIncident> incident,
                     CommitSealed(chunks, outcome));
    if (incident.has_value()) return incident;
    chunks->signatures.Seal();
    chunks->sealed = SealChunk(std::move(chunks->open), last);
    chunks->open.clear();
    return std::nullopt;
  }
  if (chunks->sealed.has_value() && chunks->signatures.OldestReady()) {
    return CommitSealed(chunks, outcome);
  }
  return std::nullopt;
}

LogIncident LogFollower::BadEntry(const ledger::LeafFailure& bad) const {
  LogIncident incident =
      Incident(IncidentKind::kBadEntry, bad.problem, accepted_->note);
  incident.leaf_index = bad.index;
  return incident;
}

FollowCommit LogFollower::SealChunk(std::vector<std::string> leaves,
                                    bool last) {
  FollowCommit commit;
  commit.origin = log_.origin;
  commit.first_index = replay_->leaves_done() - leaves.size();
  commit.entries = std::move(leaves);
  // The commits before this one change only what SaveReplay sets here.
  commit.state = state_;
  SaveReplay(*replay_, &commit.state);
  ledger::KeyRegistry& registry = replay_->mutable_registry();
  absl::flat_hash_set<ledger::crypto::KeyId> seen;
  for (const ledger::crypto::KeyId& id : registry.TakeDirty()) {
    if (!seen.insert(id).second) continue;
    if (const ledger::KeyInfo* info = registry.Find(id)) {
      commit.changed_keys.push_back(*info);
    }
  }
  registry.TakeLogKeysDirty();  // the history is in the state itself
  commit.checkpoint_verified = last;
  return commit;
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::CommitSealed(
    Chunks* chunks, StepOutcome* outcome) {
  if (!chunks->sealed.has_value()) return std::nullopt;
  FollowCommit commit = *std::move(chunks->sealed);
  chunks->sealed.reset();
  if (std::optional<ledger::LeafFailure> bad = chunks->signatures.Finish()) {
    return StopWith(BadEntry(*bad));
  }
  // The last chunk: nothing was replayed after it, the replay is at the
  // checkpoint's size.
  if (commit.checkpoint_verified) {
    if (std::optional<LogIncident> incident = CheckComplete()) {
      return StopWith(*std::move(incident));
    }
  }
  // An index output log: every IndexUpdate of the chunk must replay over
  // the mirrored input log before it is committed.
  if (index_check_ != nullptr) {
    absl::StatusOr<std::optional<IndexMismatch>> bad =
        index_check_->Check(commit.first_index, commit.entries);
    step_waited_ = absl::IsUnavailable(bad.status()) &&
                   index_check_->waiting().has_value();
    RETURN_IF_ERROR(bad.status());
    if (bad->has_value()) return IndexIncident(**bad);
  }
  RETURN_IF_ERROR(mirror_->Commit(commit));
  state_ = std::move(commit.state);
  FollowLogKey();
  outcome->new_entries += commit.entries.size();
  if (options_.on_commit) {
    options_.on_commit(state_.verified_size(), accepted_->fields.size,
                       commit.entries.size());
  }
  return std::nullopt;
}

std::optional<LogIncident> LogFollower::CheckComplete() {
  const ledger::CheckpointFields& at = accepted_->fields;
  if (replay_->range().Root() != at.root) {
    return Incident(IncidentKind::kBadTile,
                    absl::StrCat("the leaves served do not reproduce the "
                                 "checkpoint root at size ",
                                 at.size),
                    accepted_->note);
  }
  // The key that signed the checkpoint must be the one the leaves announce
  // for its size (LogKey events), as AuditLog checks.
  const ledger::LogKeyHistory& log_keys = replay_->registry().log_keys();
  if (!log_keys.empty()) {
    absl::Status ok =
        log_keys.VerifyCheckpoint(accepted_->note, at.origin, false).status();
    if (!ok.ok()) {
      return Incident(IncidentKind::kBadEntry,
                      absl::StrCat("the checkpoint of size ", at.size,
                                   " is not signed by the log key its leaves "
                                   "announce for that size: ",
                                   ok.message()),
                      accepted_->note);
    }
  }
  return std::nullopt;
}

void LogFollower::AttachBundle(uint64_t bundle, LogIncident* incident) const {
  const uint64_t size = accepted_->fields.size;
  ledger::tiles::TileId tile;
  tile.entries = true;
  tile.index = bundle;
  tile.width = bundle < size / kTileWidth
                   ? kTileWidth
                   : static_cast<uint32_t>(size % kTileWidth);
  incident->tile_url = tree_->Url(tile);
  // The bytes as served, for the evidence; a failed re-fetch keeps the URL.
  absl::StatusOr<std::string> bytes =
      http_->Get(incident->tile_url, kMaxBundleBytes);
  if (bytes.ok()) incident->tile_bytes = *std::move(bytes);
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::BundleIncident(
    uint64_t bundle, const absl::Status& why) {
  LogIncident incident = Incident(IncidentKind::kBadTile,
                                  std::string(why.message()), accepted_->note);
  AttachBundle(bundle, &incident);
  return StopWith(std::move(incident));
}

absl::StatusOr<std::optional<LogIncident>> LogFollower::IndexIncident(
    const IndexMismatch& bad) {
  // The reason names the log indexed (the factory's); the bundle holding
  // the update, which hashes to the signed root, lets anyone replay it.
  LogIncident incident =
      Incident(IncidentKind::kIndexMismatch,
               absl::StrCat("index replay of ", log_.origin, " over ",
                            log_.index_of, ": ", bad.reason),
               accepted_->note);
  incident.leaf_index = bad.leaf;
  AttachBundle(bad.leaf / kTileWidth, &incident);
  return StopWith(std::move(incident));
}

}  // namespace office
