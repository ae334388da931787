#include "ledger/admission.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/crypto/key_id.h"
#include "ledger/roles.h"

namespace ledger {
namespace {

using aifl::ledger::v1::KeyEvent;

bool HasUnknown(const google::protobuf::Message& m) {
  return !m.GetReflection()->GetUnknownFields(m).empty();
}

// Unknown fields at the top level or inside the event's one message.
bool HasUnknownFields(const KeyEvent& event) {
  if (HasUnknown(event)) return true;
  switch (event.event_case()) {
    case KeyEvent::kEnrol:
      return HasUnknown(event.enrol());
    case KeyEvent::kRevoke:
      return HasUnknown(event.revoke());
    case KeyEvent::kLogKey:
      return HasUnknown(event.log_key());
    case KeyEvent::EVENT_NOT_SET:
      break;
  }
  return false;
}

}  // namespace

absl::Status CheckAppendOnlyRules(const KeyRegistry& registry,
                                  const entry::Envelope& envelope,
                                  const KeyEvent* event) {
  const KeyInfo* signer = registry.Find(crypto::KeyId(envelope.key_id));
  if (signer != nullptr) {
    if (absl::Status s =
            CheckPayloadTypeName(signer->role, envelope.payload_type);
        !s.ok())
      return s;
  }
  if (event == nullptr) return absl::OkStatus();
  if (HasUnknownFields(*event)) {
    return absl::InvalidArgumentError(
        "key event: it has fields aifl.ledger.v1.KeyEvent does not define; "
        "the registry cannot interpret them");
  }
  if (event->has_revoke()) {
    // ValidateKeyEvent has checked the id's size and that it is enrolled.
    std::array<uint8_t, crypto::kKeyIdSize> bytes{};
    std::copy(event->revoke().key_id().begin(), event->revoke().key_id().end(),
              bytes.begin());
    const KeyInfo* target = registry.Find(crypto::KeyId(bytes));
    if (target != nullptr && !target->revoked() &&
        target->role == aifl::ledger::v1::ROLE_ADMIN &&
        registry.CountUnrevoked(aifl::ledger::v1::ROLE_ADMIN) == 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "revoke: key ", target->id.ToString(),
          " is the last unrevoked admin key; enrol another admin key first "
          "(without one the registry can never change again)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Admission> Admit(const KeyRegistry& registry,
                                const entry::Envelope& envelope,
                                uint64_t leaf_index, absl::string_view origin,
                                AdmissionMode mode) {
  if (absl::Status s = registry.CheckAppend(envelope, leaf_index); !s.ok())
    return s;
  std::optional<KeyEvent> event;
  if (envelope.payload_type == kKeyEventType) {
    absl::StatusOr<KeyEvent> parsed = ParseKeyEvent(envelope.payload);
    if (!parsed.ok()) return parsed.status();
    absl::Status valid = registry.ValidateKeyEvent(*parsed, origin);
    // Ledgers written before rotation existed accepted a LogKey
    // re-announcing the current key; replaying it changes nothing.
    if (mode == AdmissionMode::kReplay && parsed->has_log_key() &&
        !registry.log_keys().empty() &&
        registry.log_keys().current().key.bytes() ==
            parsed->log_key().public_key()) {
      valid = absl::OkStatus();
    }
    if (!valid.ok()) return valid;
    event = std::move(*parsed);
  }
  if (mode == AdmissionMode::kAppend) {
    if (absl::Status s =
            CheckAppendOnlyRules(registry, envelope, event ? &*event : nullptr);
        !s.ok())
      return s;
  }
  const crypto::KeyId key_id(envelope.key_id);
  if (const KeyInfo* signer = registry.Find(key_id); signer != nullptr)
    return Admission{std::move(event), *signer->public_key};
  // Only the genesis entry gets here (CheckAppend): an admin enrolling
  // itself, whose key id is the signer's.
  if (event.has_value() && event->has_enrol() &&
      event->enrol().role() == aifl::ledger::v1::ROLE_ADMIN) {
    absl::StatusOr<crypto::PublicKey> pub =
        crypto::PublicKey::FromBytes(event->enrol().public_key());
    if (pub.ok() && crypto::ComputeKeyId(*pub) == key_id)
      return Admission{std::move(event), *pub};
  }
  return absl::PermissionDeniedError(
      "leaf 0 must be an admin key enrolling itself (genesis)");
}

}  // namespace ledger
