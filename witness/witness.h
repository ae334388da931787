// The witness: C2SP tlog-witness add-checkpoint (c2sp.org/tlog-witness) as a
// function from a request body to an HTTP status, content type and body.
//
// For a request it: parses the body (400 when malformed); finds the origin
// among the trusted logs (404 unknown); verifies the log's signature with
// that origin's keys (403 when none verifies; signatures by unknown keys are
// ignored); refuses old > size (400); then, holding the origin's lock,
// compares `old` with the size it last cosigned (409, body "<size>\n",
// Content-Type text/x.tlog.size), the root when the sizes are equal (409),
// and checks the consistency proof (422; a non-empty proof from 0 too); on
// success it signs a cosignature/v1 line, stores the new size, root and
// checkpoint synced, and only then answers 200 with the line. The check and
// the update happen under one per-origin lock, so two requests for one
// origin can never both pass the same old size (the race the spec
// describes); different origins proceed in parallel.
//
// A server may answer a round of requests after one synced write (Batch):
// a request that passes every check then keeps its origin's lock until the
// write of the round's states returns, so the guarantee is the same.
//
// A refused checkpoint that the log validly signed and that contradicts what
// the witness cosigned (same size and another root, a smaller size, or a
// proof that does not verify from the cosigned tree) is stored as evidence
// of a split view (WitnessStore::AddEvidence) before the answer.
//
// Thread-safe. The store and clock are not owned and must outlive it.
#ifndef WITNESS_WITNESS_H_
#define WITNESS_WITNESS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "ledger/witnessing/add_checkpoint_request.h"
#include "witness/trusted_logs.h"
#include "witness/witness_store.h"

namespace witness {

// One trusted origin as the witness holds it now (for metrics).
struct OriginSummary {
  std::string origin;
  std::optional<uint64_t> cosigned_size;  // nullopt before the first cosign
  uint64_t evidence_records = 0;          // kept in the store, ever
};

struct WitnessResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class Witness {
 private:
  struct Origin;

 public:
  // Requests that passed every check, cosigned, whose new states are not
  // stored yet: each holds its origin's lock until Commit stores all their
  // states in one synced write. For an event loop that answers a round of
  // requests after one write (witness_http_server.h). One thread uses a
  // batch; destroy it empty (Commit first), or its origins stay locked.
  class Batch {
   public:
    Batch() = default;
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    bool empty() const { return entries_.empty(); }

   private:
    friend class Witness;
    struct Entry {
      Origin* origin;
      OriginState next;
      std::string cosignature_line;  // the answer's body once stored
      WitnessResponse* answer;
    };
    std::vector<Entry> entries_;
  };

  // An extra condition a cosigner states beyond consistency (e.g. the AI
  // Office monitor: "I verified every entry up to this size",
  // office/monitor_witness.h): called under the origin's lock once every
  // check passed, before signing, with the checkpoint's origin, size and
  // root. A non-OK status refuses it: 503 with the status's message (the
  // log may retry later); nothing is stored.
  using Vouch = std::function<absl::Status(
      absl::string_view origin, uint64_t size, const ledger::merkle::Hash&)>;

  // Keys an origin's checkpoints may be signed by beyond the configured
  // ones, asked for only when none of those verifies a note: the AI Office
  // monitor's are the log keys announced by the leaves it verified (a
  // log-key rotation it followed; office/monitor_witness.h). Called without
  // the origin's lock.
  using MoreLogKeys = std::function<std::vector<ledger::note::NoteVerifier>(
      absl::string_view origin)>;

  // Loads the stored state of every trusted origin. Errors from the store.
  // `vouch` and `more_log_keys` may be empty (a plain witness).
  static absl::StatusOr<std::unique_ptr<Witness>> Create(
      std::unique_ptr<ledger::note::Cosigner> cosigner, TrustedLogs logs,
      WitnessStore* store, const common::Clock* clock, Vouch vouch = nullptr,
      MoreLogKeys more_log_keys = nullptr);

  // Handles one add-checkpoint request body (see the file comment). A
  // storage failure answers 500 and cosigns nothing.
  WitnessResponse AddCheckpoint(absl::string_view body);

  // The same, for a round of requests: the answer, or std::nullopt when the
  // request passed every check and needs its new state stored; it then
  // joins `batch`, and Commit(batch) writes its answer to `*answer` (which
  // must outlive that call). A request for an origin the batch already
  // holds, or that another thread holds, commits `batch` first: a thread
  // waits for an origin's lock only while its batch holds none, so two
  // batches can never wait for each other.
  std::optional<WitnessResponse> AddCheckpoint(absl::string_view body,
                                               Batch* batch,
                                               WitnessResponse* answer);

  // Stores the states of every request in `batch` in one synced write, then
  // answers each (200 with its cosignature line, or 500 when the write
  // failed: nothing of the batch is cosigned), updates the states and
  // releases their locks. Leaves `batch` empty; nothing to do when empty.
  void Commit(Batch* batch);

  // The latest checkpoint cosigned for the origin whose SHA-256 is
  // `origin_sha256_hex` (64 lowercase hex digits): 200 with the note (the
  // log's signatures and this witness's cosignature), 404 when unknown or
  // never cosigned.
  WitnessResponse LatestCheckpoint(absl::string_view origin_sha256_hex);

  // Evidence records (FORMAT.md) of one origin (by SHA-256 hex) or, for "",
  // of every origin, concatenated: 200 (possibly empty), 404 for an unknown
  // origin, 500 on a storage error.
  WitnessResponse EvidenceRecords(absl::string_view origin_sha256_hex);

  const ledger::note::Cosigner& cosigner() const { return *cosigner_; }

  // Every trusted origin, by name: the size last cosigned and the evidence
  // records kept (counted from the store at Create, then as they are kept).
  std::vector<OriginSummary> Summaries() const;

 private:
  struct Origin {
    std::string name;
    const std::vector<ledger::note::NoteVerifier>* keys = nullptr;
    absl::Mutex mu;
    std::optional<OriginState> state ABSL_GUARDED_BY(mu);
    std::atomic<uint64_t> evidence_records{0};
  };

  Witness(std::unique_ptr<ledger::note::Cosigner> cosigner, TrustedLogs logs,
          WitnessStore* store, const common::Clock* clock);

  Origin* FindByHash(absl::string_view origin_sha256_hex);
  // Takes origin.mu for a request of `batch` (see AddCheckpoint).
  void LockForBatch(Origin& origin, Batch* batch)
      ABSL_EXCLUSIVE_LOCK_FUNCTION(origin.mu);
  // The checks under the origin's lock: the answer when refused or when the
  // state needs no update (the same checkpoint again), else nullopt with the
  // request added to `batch`.
  std::optional<WitnessResponse> CosignLocked(
      Origin& origin, const ledger::witnessing::AddCheckpointRequest& request,
      const ledger::note::VerifiedNote& opened,
      const ledger::note::Checkpoint& checkpoint, absl::string_view body,
      Batch* batch, WitnessResponse* answer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(origin.mu);
  // Stores evidence; a storage error is logged by the caller's status.
  absl::Status KeepEvidence(Origin& origin, absl::string_view reason,
                            absl::string_view body, absl::string_view note);
  // Whether a checkpoint of `size` and `root` may follow the cosigned state
  // with the request's `old_size` and consistency `proof`: the refusal to
  // answer with (keeping evidence of an inconsistent one), or nullopt.
  std::optional<WitnessResponse> CheckExtends(
      Origin& origin, uint64_t old_size,
      const std::vector<ledger::merkle::Hash>& proof, uint64_t size,
      const ledger::merkle::Hash& root, absl::string_view body,
      absl::string_view note) ABSL_EXCLUSIVE_LOCKS_REQUIRED(origin.mu);

  const std::unique_ptr<ledger::note::Cosigner> cosigner_;
  const TrustedLogs logs_;
  WitnessStore* const store_;
  const common::Clock* const clock_;
  Vouch vouch_;                // may be empty
  MoreLogKeys more_log_keys_;  // may be empty
  // Built once in Create; the map itself is never changed afterwards.
  absl::flat_hash_map<std::string, std::unique_ptr<Origin>> origins_;
  absl::flat_hash_map<std::string, Origin*> by_hash_;
};

}  // namespace witness

#endif  // WITNESS_WITNESS_H_
