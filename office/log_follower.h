// LogFollower: follows one factory log over C2SP tlog-tiles and mirrors it,
// trusting nothing it serves (office/README.md, "What a follow step
// checks"). One Step:
//   1. GET <url>/checkpoint; verify the log's signature (and the quorum of
//      cosignatures when the config names a tlog-policy);
//   2. reconcile it with the accepted checkpoint: a smaller size is a
//      rollback, the same size with another root a fork, a larger size
//      must be proven consistent from the new tree's tiles (else a fork);
//      then it is accepted (stored);
//   3. read the entry bundles from the verified size on, each checked
//      against the tiles (api/client/tile_tree.h), replay every leaf through
//      the ledger's own admission rule and envelope signature check
//      (ledger/leaf_replay.h, resumed from the stored state), and commit
//      every `max_entries_per_commit` leaves: entries, replay state and
//      checkpoint in one synced batch (mirror.h). Each bundle is fetched
//      while the one before is replayed (bundle_prefetch.h), replayed as it
//      arrives, and its signatures verified on other threads
//      (chunk_signatures.h) while the next bundles are fetched; a chunk is
//      committed only once all of its signatures verified, while the next
//      chunk is fetched and replayed (one chunk waits at most);
//   4. at the checkpoint's size, the recomputed root must equal it and the
//      checkpoint must be signed by the log key its leaves announce; the
//      checkpoint is then "fully verified" (what the monitor cosigns).
// Log-key rotation: checkpoints are verified with the log key the verified
// leaves announce last (LogKey events; the configured key before the
// first, and always trusted too). When the served checkpoint is signed by
// neither, the log may have rotated its key: the follower fetches the
// handover checkpoint to the next key (`<url>/log-key-handover/<E>`,
// ledger/FORMAT.md, "Tiles"), which the key trusted now signed too, and
// follows to it; step 4 then checks the new key against the admin-signed
// LogKey leaf in that tree, and the next step verifies with the new key.
// Not under a tlog-policy: no quorum cosigned a handover, so such a log
// waits (an error) until the config names the new key.
// An index's output log (FollowedLog::index_of) is also replayed before
// each commit: every IndexUpdate must match the mirror of the log it
// indexes (index_check.h); an update that names an input size not mirrored
// yet holds the commit back (an error: retried) until it is, and the wait is
// kept (index_input_wait(): which leaf, the sizes, since when) for the
// monitor to report — never an incident.
// A hostile answer (fork, rollback, a tile or leaf that does not hash to
// the signed root, an entry that fails admission or its signature, an index
// update that does not replay) stops the log for good at its verified size,
// with a LogIncident kept in the mirror. An unreachable or unsigned source is
// only an error: the next step tries again.
//
// Not thread-safe: one thread per follower (the Mirror is shared).
#ifndef OFFICE_LOG_FOLLOWER_H_
#define OFFICE_LOG_FOLLOWER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/http_getter.h"
#include "api/client/log_verifier.h"
#include "api/client/tile_tree.h"
#include "common/clock.h"
#include "ledger/leaf_replay.h"
#include "office/chunk_signatures.h"
#include "office/index_check.h"
#include "office/log_incident.h"
#include "office/mirror.h"
#include "office/monitor_config.h"
#include "office/signature_pool.h"

namespace office {

struct FollowerOptions {
  // Threads verifying envelope signatures (the follower's own
  // SignaturePool, started once, when signature_pool is null). Default: 2.
  int threads = 2;
  // A pool shared with other followers (the monitor's: one worker per core
  // for every log); null: the follower starts its own of `threads`.
  std::shared_ptr<SignaturePool> signature_pool;
  // Leaves per synced commit. The memory bound, with the tile cache: at most
  // two chunks of leaves are held (one sealed, waiting for its signatures
  // and its commit, and the next being filled) and one bundle fetched ahead.
  // Default: 4096.
  uint64_t max_entries_per_commit = 4096;
  // Full hash tiles cached (8 KiB each). Default: 64.
  size_t max_cached_tiles = 64;
  // Called after each commit with (verified size, accepted checkpoint size,
  // entries that commit added), e.g. for metrics. Default: none.
  std::function<void(uint64_t, uint64_t, uint64_t)> on_commit;
};

struct StepOutcome {
  uint64_t verified_size = 0;           // after the step
  uint64_t checkpoint_size = 0;         // of the accepted checkpoint
  uint64_t new_entries = 0;             // verified and committed in this step
  std::optional<LogIncident> incident;  // set when this step stopped the log
};

class LogFollower {
 public:
  // Loads the stored state of `log` (and resumes its replay). Fetches
  // nothing. `mirror`, `clock` are not owned and must outlive it.
  static absl::StatusOr<std::unique_ptr<LogFollower>> Create(
      FollowedLog log, Mirror* mirror,
      std::unique_ptr<api::client::HttpGetter> http, const common::Clock* clock,
      FollowerOptions options = {});

  // One step (see the file comment). Errors: the source could not be read
  // or what it sent is not validly signed (kUnavailable, kDataLoss, or
  // kFailedPrecondition when the quorum is not met): nothing changed, try
  // later. A stopped log returns its state without fetching.
  absl::StatusOr<StepOutcome> Step();

  const std::string& origin() const { return log_.origin; }
  bool stopped() const { return stopped_; }
  uint64_t verified_size() const { return state_.verified_size(); }
  uint64_t checkpoint_size() const {
    return accepted_ ? accepted_->fields.size : 0;
  }
  // The replay of an index's output log; null for other logs.
  const IndexCheck* index_check() const { return index_check_.get(); }
  // An index's output log waiting for its input: the leaf, the input size
  // it names and the one mirrored (as of the last step that ran the check),
  // since = the clock at the first step that saw this leaf wait, seen = at
  // the last step. Cleared once that leaf replays, or the log stops.
  const std::optional<IndexInputWait>& index_input_wait() const {
    return index_wait_;
  }
  // Whether the last step's error was that wait (and nothing else).
  bool last_step_waited_for_input() const { return step_waited_; }

 private:
  LogFollower(FollowedLog log, Mirror* mirror,
              std::unique_ptr<api::client::HttpGetter> http,
              api::client::LogVerifier verifier, const common::Clock* clock,
              FollowerOptions options);

  // After a step: index_wait_ from the index check's wait, at `now`.
  void NoteIndexWait(absl::Time now);
  // (Re)loads the stored state and resumes the replay from it.
  absl::Status Load();
  // Fetch, accept, mirror: the step's work; an incident or an error.
  absl::StatusOr<std::optional<LogIncident>> Advance(StepOutcome* outcome);
  // Fetches and verifies the served checkpoint (signature, quorum), or the
  // handover checkpoint of a log-key rotation (see the file comment).
  absl::StatusOr<api::client::VerifiedCheckpoint> FetchCheckpoint();
  // Moves current_ to the log key the verified leaves announce last.
  void FollowLogKey();
  // Reconciles `latest` with the accepted checkpoint and accepts it; an
  // incident when the log contradicted itself.
  absl::StatusOr<std::optional<LogIncident>> Accept(
      const api::client::VerifiedCheckpoint& latest);
  // The leaves of a step's chunk being filled, and the chunk sealed before
  // it (replayed; its signatures may still be verifying).
  struct Chunks {
    explicit Chunks(SignaturePool* pool) : signatures(pool) {}
    ChunkSignatures signatures;
    std::vector<std::string> open;
    std::optional<FollowCommit> sealed;  // what its commit will write
  };
  // Mirrors [verified size, accepted size), committing as it goes.
  absl::StatusOr<std::optional<LogIncident>> MirrorEntries(
      StepOutcome* outcome);
  // Replays chunks->open from `from` (the bundle just fetched, whose leaf
  // hashes the tile check computed: `leaf_hashes`) and starts its
  // signatures; seals the chunk when full or `last`; commits the sealed
  // chunk once its signatures are done.
  absl::StatusOr<std::optional<LogIncident>> ReplayBundle(
      size_t from, absl::Span<const ledger::merkle::Hash> leaf_hashes,
      bool last, Chunks* chunks, StepOutcome* outcome);
  // What committing `leaves` (the last replayed) will write: the replay
  // state and registry keys as of now.
  FollowCommit SealChunk(std::vector<std::string> leaves, bool last);
  // Commits the sealed chunk, if any, once all its signatures verified
  // (waiting for them); a bad one, or a failed last check, is the incident.
  absl::StatusOr<std::optional<LogIncident>> CommitSealed(Chunks* chunks,
                                                          StepOutcome* outcome);
  // The incident of a leaf that failed the replay.
  LogIncident BadEntry(const ledger::LeafFailure& bad) const;
  // The checks once every leaf of the accepted checkpoint is replayed.
  std::optional<LogIncident> CheckComplete();
  absl::StatusOr<std::optional<LogIncident>> BundleIncident(
      uint64_t bundle, const absl::Status& why);
  // The incident of an index update that does not replay.
  absl::StatusOr<std::optional<LogIncident>> IndexIncident(
      const IndexMismatch& bad);
  // Sets the incident's tile to entry bundle `bundle` of the accepted tree,
  // with its bytes as served now (kept for the evidence).
  void AttachBundle(uint64_t bundle, LogIncident* incident) const;
  LogIncident Incident(IncidentKind kind, std::string reason,
                       std::string offending_note) const;
  // Stores `incident` and stops the log.
  absl::StatusOr<std::optional<LogIncident>> StopWith(LogIncident incident);

  const FollowedLog log_;
  Mirror* const mirror_;
  const std::unique_ptr<api::client::HttpGetter> http_;
  const api::client::LogVerifier verifier_;  // the configured key
  // The key the verified leaves announce last (verifier_ before any), and
  // how many keys they announced.
  api::client::LogVerifier current_;
  size_t log_key_epochs_ = 0;
  const common::Clock* const clock_;
  const FollowerOptions options_;
  // Verifies the signatures of every step (started once).
  const std::shared_ptr<SignaturePool> signature_pool_;
  FollowState state_;
  std::optional<api::client::VerifiedCheckpoint> accepted_;
  std::unique_ptr<api::client::TileTree> tree_;  // of accepted_
  std::unique_ptr<ledger::LeafReplay> replay_;
  // For an index's output log: its replay (null for other logs).
  std::unique_ptr<IndexCheck> index_check_;
  std::optional<IndexInputWait> index_wait_;
  bool step_waited_ = false;
  bool stopped_ = false;
};

}  // namespace office

#endif  // OFFICE_LOG_FOLLOWER_H_
