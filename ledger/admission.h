// Admission: the one rule that decides whether an envelope may be the leaf at
// a given index of a log, given the key registry folded from the leaves
// before it. Used by the Sequencer (appending), by AuditStore (replaying a
// stored log) and by the open-time registry check (derived_state_check.h),
// so they cannot disagree. The rules are the
// tables in ledger/FORMAT.md, "Roles" and "Key-registry rules".
//
// Pure: no storage, no clock; thread-compatible (the registry is read only).
#ifndef LEDGER_ADMISSION_H_
#define LEDGER_ADMISSION_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry/envelope.h"
#include "ledger/key_registry.h"
#include "ledger/proto/key_event.pb.h"

namespace ledger {

// Which rules apply. Rules added to format version 1 after ledgers were
// already written with it ("append only" in FORMAT.md) refuse new entries
// but are not applied to leaves already in a log, so that every log that
// was valid stays valid.
enum class AdmissionMode {
  kAppend,  // a new entry: every rule
  kReplay,  // a stored leaf (the audit): the rules marked "append and audit",
            // and a LogKey re-announcing the current log key is accepted
            // (ledgers written before rotation existed hold one)
};

struct Admission {
  // The parsed key event when the payload type is aifl.ledger.v1.KeyEvent.
  std::optional<aifl::ledger::v1::KeyEvent> event;
  // The key the envelope's signature must verify with: the enrolled key, or
  // for the genesis entry the key it enrols.
  crypto::PublicKey signer_key;
};

// Decides whether `envelope` may be the leaf at `leaf_index` of the log
// `origin` whose leaves before it folded into `registry`. In this order:
//   1. registry.CheckAppend: signer known (or the genesis entry), not
//      revoked, role may sign the type, sequence contiguous; its
//      kAlreadyExists (a used sequence number) comes back unchanged so the
//      caller can answer an idempotent retry.
//   2. For a key event: ParseKeyEvent, registry.ValidateKeyEvent and the
//      append-only key-registry rules (kAppend only). Enrolling a key
//      enrolled before is kAlreadyExists too: callers that answer retries
//      tell it from step 1's with registry.IsUsedSequence.
//   3. The genesis rule: a signer not in the registry is allowed only at
//      leaf 0, enrolling itself as an admin (kPermissionDenied otherwise).
// Does NOT verify the signature (callers do, in parallel: verify
// envelope's signed message with the returned signer_key) and does not
// check what only the appending ledger knows (that the genesis LogKey is the
// key the ledger was created with; that a rotation comes from
// RotateLogKey). Apply the result with registry.Apply.
absl::StatusOr<Admission> Admit(const KeyRegistry& registry,
                                const entry::Envelope& envelope,
                                uint64_t leaf_index, absl::string_view origin,
                                AdmissionMode mode);

// The key-registry rules added after format version 1 was first written,
// applied to new appends only (FORMAT.md, "Key-registry rules"): a
// KeyEvent with fields this schema does not define (kInvalidArgument), an
// admin revoking the last unrevoked admin key (kFailedPrecondition), a
// payload type that is not one message name in its role's namespace
// (kInvalidArgument, see roles.h). `event` is null for other payloads.
absl::Status CheckAppendOnlyRules(const KeyRegistry& registry,
                                  const entry::Envelope& envelope,
                                  const aifl::ledger::v1::KeyEvent* event);

}  // namespace ledger

#endif  // LEDGER_ADMISSION_H_
