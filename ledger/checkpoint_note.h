// Signs and verifies this log's checkpoints: C2SP tlog-checkpoint bodies in
// C2SP signed-note form, key name = origin (DESIGN.md, "Checkpoints"). A thin
// adapter over ledger/note for the Ledger, the audit and the clients.
#ifndef LEDGER_CHECKPOINT_NOTE_H_
#define LEDGER_CHECKPOINT_NOTE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/hash.h"
#include "ledger/note/signed_note.h"

namespace ledger {

struct CheckpointFields {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
};

// The signed note for (origin, size, root). REQUIRES: signer's key name is
// the origin.
absl::StatusOr<std::string> SignCheckpoint(const CheckpointFields& fields,
                                           const note::NoteSigner& signer);

// Verifies `note` was signed by `log_key` under the key name `origin` and
// parses its body. kUnauthenticated when no valid signature by that key is
// present; kInvalidArgument when malformed or the origin differs.
absl::StatusOr<CheckpointFields> VerifyCheckpoint(
    absl::string_view note, absl::string_view origin,
    const crypto::PublicKey& log_key);

// A checkpoint note opened with several candidate keys.
struct OpenedCheckpoint {
  CheckpointFields fields;
  // The C2SP note key ids of the candidate keys whose signature lines
  // verified (every line by a candidate key must verify).
  std::vector<uint32_t> signed_by;
};

// Opens `note` with every key in `keys` as a verifier under the key name
// `origin` and parses its body. kUnauthenticated when no candidate key signed
// it or a candidate's signature is bad; kInvalidArgument when malformed or
// the origin differs.
absl::StatusOr<OpenedCheckpoint> OpenCheckpoint(
    absl::string_view note, absl::string_view origin,
    absl::Span<const crypto::PublicKey> keys);

// The note verifier key: "<origin>+<hex key id>+<base64(0x01 ‖ public key)>".
std::string LogVerifierKey(absl::string_view origin,
                           const crypto::PublicKey& log_key);

// Checks an origin can be a log origin and note key name: 1..255 bytes of
// printable ASCII, no spaces, no '+'. kInvalidArgument otherwise.
absl::Status ValidateOrigin(absl::string_view origin);

}  // namespace ledger

#endif  // LEDGER_CHECKPOINT_NOTE_H_
