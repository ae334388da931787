// The registry of enrolled signing keys, folded from key events in log order.
// Its checks (signer known, not revoked, role allowed, sequence number
// contiguous; key events valid) are the parts of the admission rule that
// ledger/admission.h puts together: callers use Admit, then Apply. It also
// folds the LogKey events into the log-key history (log_key_history.h). The
// Sequencer (sequencer.h) persists both as derived state; the audit rebuilds
// them from leaf 0 and compares.
//
// Where the genesis rules live: CheckAppend only lets an unknown signer
// through as a genesis *candidate*; that leaf 0 is an admin key enrolling
// itself is decided by Admit (admission.h); that the genesis LogKey
// announces the key the ledger was created with is checked by the Sequencer
// (Sequencer::CheckLogKeyAnnouncement), which alone knows that key. Apply
// checks none of them.
//
// Not thread-safe: the Sequencer guards it.
#ifndef LEDGER_KEY_REGISTRY_H_
#define LEDGER_KEY_REGISTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/log_key_history.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"

namespace ledger {

struct KeyInfo {
  crypto::KeyId id{std::array<uint8_t, crypto::kKeyIdSize>{}};
  std::optional<crypto::PublicKey>
      public_key;  // always set for a registered key
  Role role = aifl::ledger::v1::ROLE_UNSPECIFIED;
  std::string organisation;
  std::string node;
  std::string tls_identity;
  uint64_t enrolled_at_leaf = 0;
  std::optional<uint64_t> revoked_at_leaf;
  // The sequence number this key's next entry must carry.
  uint64_t next_sequence = 0;

  bool revoked() const { return revoked_at_leaf.has_value(); }
};

// Serializes a KeyInfo for storage (derived state; format in FORMAT.md).
std::string EncodeKeyInfo(const KeyInfo& info);
absl::StatusOr<KeyInfo> DecodeKeyInfo(absl::string_view bytes);

class KeyRegistry {
 public:
  // The key, or nullptr when unknown. The pointer is valid until the next
  // mutation.
  const KeyInfo* Find(const crypto::KeyId& id) const;

  // Checks that `envelope` may be appended at `leaf_index` as the next entry
  // of its key: key known (kPermissionDenied "unknown key"), not revoked
  // (kPermissionDenied), role may sign the payload type (kPermissionDenied),
  // sequence == next (a gap: kFailedPrecondition; a lower number,
  // kAlreadyExists, is the caller's idempotency check). An unknown signer
  // passes only as a candidate genesis entry (leaf 0, a key event, sequence
  // 0); that it enrols itself as an admin is checked by Admit
  // (admission.h), which callers use instead of this. Does not verify the
  // signature.
  absl::Status CheckAppend(const entry::Envelope& envelope,
                           uint64_t leaf_index) const;

  // Whether `envelope`'s signer is enrolled and its sequence number is below
  // the signer's next one: the entry is a retry, or other bytes under a used
  // number. This is what CheckAppend's kAlreadyExists means; a key event's
  // kAlreadyExists from ValidateKeyEvent (a key enrolled before) does not,
  // and callers answering retries must tell the two apart with this.
  bool IsUsedSequence(const entry::Envelope& envelope) const;

  // Applies an accepted entry: advances the signer's next sequence and, for a
  // key event, applies it. `event` is the parsed payload of a key event. An
  // Enrol is inserted before the signer is looked up, so the genesis entry
  // (an admin enrolling itself) applies. It checks nothing else: an error (a
  // bad public key, a signer still unknown, a revocation of an unknown key)
  // means the entry was not admitted; call Admit (admission.h) first.
  absl::Status Apply(const entry::Envelope& envelope, uint64_t leaf_index,
                     const aifl::ledger::v1::KeyEvent* event);

  // Checks a key event against the current registry without applying it
  // (the "append and audit" rows of FORMAT.md, "Key-registry rules"). Enrol:
  // a valid public key (crypto/FORMAT.md checks; kInvalidArgument), a
  // defined role other than UNSPECIFIED (kInvalidArgument), not a current or
  // past log key (kFailedPrecondition), not enrolled before
  // (kAlreadyExists). Revoke: a 16-byte key id (kInvalidArgument) of an
  // enrolled key (kNotFound) not yet revoked (kFailedPrecondition). LogKey:
  // a valid public key, `origin`, a key that is neither an enrolled signing
  // key nor a current or past log key (kFailedPrecondition). The
  // append-only rules are in admission.h.
  absl::Status ValidateKeyEvent(const aifl::ledger::v1::KeyEvent& event,
                                absl::string_view origin) const;

  // The number of keys with `role` that are not revoked.
  size_t CountUnrevoked(Role role) const;

  // The log keys announced so far, in log order.
  const LogKeyHistory& log_keys() const { return log_keys_; }
  void set_log_keys(LogKeyHistory history) { log_keys_ = std::move(history); }
  // Whether a LogKey event was applied since the last call, for persistence.
  bool TakeLogKeysDirty();

  void Insert(KeyInfo info);
  std::vector<KeyInfo> All() const;
  size_t size() const { return keys_.size(); }
  // The key ids whose KeyInfo changed since the last call, for persistence.
  std::vector<crypto::KeyId> TakeDirty();

 private:
  absl::flat_hash_map<crypto::KeyId, KeyInfo> keys_;
  std::vector<crypto::KeyId> dirty_;
  LogKeyHistory log_keys_;
  bool log_keys_dirty_ = false;
};

// Parses a key event payload; kInvalidArgument when it is not one.
absl::StatusOr<aifl::ledger::v1::KeyEvent> ParseKeyEvent(
    absl::string_view payload);

}  // namespace ledger

#endif  // LEDGER_KEY_REGISTRY_H_
