// Client-side verification of what one log serves: checkpoint signatures,
// inclusion proofs and consistency proofs. Needs no network and no storage:
// only the log's verifier key and the bytes the server sent. Used by
// LedgerClient; usable on its own to check saved receipts offline.
//
// Every failure is kDataLoss (the server, or the bytes it sent, cannot be
// trusted) with a message naming what is wrong, e.g.
//   "checkpoint signature does not verify for key <vkey>: ..."
//   "inclusion proof for leaf 7 does not match checkpoint root at size 12: ..."
//
// Thread-safety: immutable after Create; const methods may run concurrently.
#ifndef API_CLIENT_LOG_VERIFIER_H_
#define API_CLIENT_LOG_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ledger/checkpoint_note.h"
#include "ledger/merkle/hash.h"
#include "ledger/note/signed_note.h"

namespace api::client {

// A checkpoint whose signature verified: its parsed fields and the exact
// signed note. The note is empty only for the implicit empty tree (size 0).
struct VerifiedCheckpoint {
  ledger::CheckpointFields fields;
  std::string note;
};

// Converts the 32-byte proof hashes a server sent. kDataLoss naming the
// position of the first hash of another length.
absl::StatusOr<std::vector<ledger::merkle::Hash>> ProofHashes(
    absl::Span<const std::string> hashes);

class LogVerifier {
 public:
  // Parses a note verifier key "<origin>+<hex key id>+<base64(0x01 ‖ key)>"
  // (as ledgerctl init prints it). kInvalidArgument saying what is wrong.
  static absl::StatusOr<LogVerifier> Create(absl::string_view verifier_key);

  // The log's origin (the verifier key's name).
  const std::string& origin() const { return verifier_.name(); }
  std::string verifier_key() const { return verifier_.VerifierKey(); }
  const ledger::crypto::PublicKey& public_key() const {
    return verifier_.public_key();
  }

  // Verifies that `note` is a checkpoint of this log signed by its key, and
  // parses it. kDataLoss: "checkpoint signature does not verify for key
  // <vkey>: <why>" or "checkpoint is malformed: <why>" (including another
  // origin).
  absl::StatusOr<VerifiedCheckpoint> VerifyCheckpoint(
      absl::string_view note) const;

  // Verifies that the leaf with hash `leaf_hash` is at `index` in the tree of
  // `checkpoint`. kDataLoss: "inclusion proof for leaf <i> does not match
  // checkpoint root at size <n>: <why>".
  absl::Status VerifyInclusion(
      uint64_t index, const ledger::merkle::Hash& leaf_hash,
      absl::Span<const ledger::merkle::Hash> proof,
      const ledger::CheckpointFields& checkpoint) const;

  // Verifies that `older` is a prefix of `newer`. kDataLoss: "consistency
  // proof from size <a> (root <hex>) to size <b> (root <hex>) does not verify:
  // <why>", or "server forked: at size <n> it now says root <x>, earlier <y>"
  // when the sizes are equal and the roots are not.
  // REQUIRES: older.size <= newer.size.
  absl::Status VerifyConsistency(
      const ledger::CheckpointFields& older,
      const ledger::CheckpointFields& newer,
      absl::Span<const ledger::merkle::Hash> proof) const;

 private:
  explicit LogVerifier(ledger::note::NoteVerifier verifier)
      : verifier_(std::move(verifier)) {}

  ledger::note::NoteVerifier verifier_;
};

// Whether `status` is VerifyCheckpoint's "checkpoint signature does not
// verify" (as opposed to a malformed note): the note may be signed by a
// later log key.
bool IsCheckpointSignatureError(const absl::Status& status);

// "server forked: at size <n> it now says root <now>, earlier <earlier>".
absl::Status ForkError(uint64_t size, const ledger::merkle::Hash& now,
                       const ledger::merkle::Hash& earlier);

}  // namespace api::client

#endif  // API_CLIENT_LOG_VERIFIER_H_
