#include "ledger/key_registry.h"

#include "absl/strings/str_cat.h"
#include "ledger/entry/byte_io.h"

namespace ledger {
namespace {

using aifl::ledger::v1::KeyEvent;

crypto::KeyId ToKeyId(const entry::KeyId& id) { return crypto::KeyId(id); }

}  // namespace

absl::StatusOr<KeyEvent> ParseKeyEvent(absl::string_view payload) {
  KeyEvent event;
  if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::InvalidArgumentError(
        "payload: not a valid aifl.ledger.v1.KeyEvent");
  }
  if (event.event_case() == KeyEvent::EVENT_NOT_SET) {
    return absl::InvalidArgumentError(
        "key event: none of enrol, revoke, log_key is set");
  }
  return event;
}

const KeyInfo* KeyRegistry::Find(const crypto::KeyId& id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

absl::Status KeyRegistry::CheckAppend(const entry::Envelope& envelope,
                                      uint64_t leaf_index) const {
  const crypto::KeyId id = ToKeyId(envelope.key_id);
  const KeyInfo* key = Find(id);
  if (key == nullptr) {
    if (leaf_index == 0 && envelope.payload_type == kKeyEventType &&
        envelope.sequence == 0) {
      return absl::OkStatus();  // a genesis candidate: Admit checks it
    }
    return absl::PermissionDeniedError(absl::StrCat(
        "unknown key ", id.ToString(), ": it is not enrolled in this ledger"));
  }
  if (key->revoked()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "key ", id.ToString(), " was revoked at leaf ", *key->revoked_at_leaf));
  }
  if (absl::Status s = CheckRoleMaySign(key->role, envelope.payload_type);
      !s.ok())
    return s;
  if (envelope.sequence > key->next_sequence) {
    return absl::FailedPreconditionError(
        absl::StrCat("sequence gap for key ", id.ToString(), ": got ",
                     envelope.sequence, ", want ", key->next_sequence,
                     " (entries must be numbered contiguously)"));
  }
  if (envelope.sequence < key->next_sequence) {
    return absl::AlreadyExistsError(absl::StrCat("sequence ", envelope.sequence,
                                                 " of key ", id.ToString(),
                                                 " is already used"));
  }
  return absl::OkStatus();
}

bool KeyRegistry::IsUsedSequence(const entry::Envelope& envelope) const {
  const KeyInfo* key = Find(ToKeyId(envelope.key_id));
  return key != nullptr && envelope.sequence < key->next_sequence;
}

absl::Status KeyRegistry::ValidateKeyEvent(const KeyEvent& event,
                                           absl::string_view origin) const {
  switch (event.event_case()) {
    case KeyEvent::kEnrol: {
      auto pub = crypto::PublicKey::FromBytes(event.enrol().public_key());
      if (!pub.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("enrol.public_key: ", pub.status().message()));
      }
      if (event.enrol().role() == aifl::ledger::v1::ROLE_UNSPECIFIED ||
          !aifl::ledger::v1::Role_IsValid(event.enrol().role())) {
        return absl::InvalidArgumentError(
            absl::StrCat("enrol.role: got ", event.enrol().role(),
                         ", want admin, collector, provider, office or rules"));
      }
      const crypto::KeyId id = crypto::ComputeKeyId(*pub);
      if (log_keys_.Contains(*pub)) {
        return absl::FailedPreconditionError(
            absl::StrCat("enrol: key ", id.ToString(),
                         " is a log key; log keys only sign checkpoints"));
      }
      if (Find(id) != nullptr) {
        return absl::AlreadyExistsError(
            absl::StrCat("key ", id.ToString(),
                         " is already enrolled (keys are never re-used)"));
      }
      return absl::OkStatus();
    }
    case KeyEvent::kRevoke: {
      if (event.revoke().key_id().size() != crypto::kKeyIdSize) {
        return absl::InvalidArgumentError(
            absl::StrCat("revoke.key_id: got ", event.revoke().key_id().size(),
                         " bytes, want ", crypto::kKeyIdSize));
      }
      std::array<uint8_t, crypto::kKeyIdSize> bytes;
      std::copy(event.revoke().key_id().begin(), event.revoke().key_id().end(),
                bytes.begin());
      const KeyInfo* key = Find(crypto::KeyId(bytes));
      if (key == nullptr) {
        return absl::NotFoundError(absl::StrCat("revoke: key ",
                                                crypto::KeyId(bytes).ToString(),
                                                " is not enrolled"));
      }
      if (key->revoked()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "revoke: key ", key->id.ToString(), " is already revoked"));
      }
      return absl::OkStatus();
    }
    case KeyEvent::kLogKey: {
      auto pub = crypto::PublicKey::FromBytes(event.log_key().public_key());
      if (!pub.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("log_key.public_key: ", pub.status().message()));
      }
      if (event.log_key().origin() != origin) {
        return absl::InvalidArgumentError(
            absl::StrCat("log_key.origin: got \"", event.log_key().origin(),
                         "\", want \"", origin, "\""));
      }
      if (Find(crypto::ComputeKeyId(*pub)) != nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "log_key: key ", crypto::ComputeKeyId(*pub).ToString(),
            " is enrolled as a signing key; a log key must be a fresh key"));
      }
      return log_keys_.CheckAnnounce(*pub, origin);
    }
    case KeyEvent::EVENT_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "key event: none of enrol, revoke, log_key is set");
}

absl::Status KeyRegistry::Apply(const entry::Envelope& envelope,
                                uint64_t leaf_index, const KeyEvent* event) {
  const crypto::KeyId signer = ToKeyId(envelope.key_id);
  if (event != nullptr && event->event_case() == KeyEvent::kEnrol) {
    auto pub = crypto::PublicKey::FromBytes(event->enrol().public_key());
    if (!pub.ok()) return pub.status();
    KeyInfo info;
    info.id = crypto::ComputeKeyId(*pub);
    info.public_key = *pub;
    info.role = event->enrol().role();
    info.organisation = event->enrol().organisation();
    info.node = event->enrol().node();
    info.tls_identity = event->enrol().tls_identity();
    info.enrolled_at_leaf = leaf_index;
    Insert(std::move(info));
  }
  auto it = keys_.find(signer);
  if (it == keys_.end()) {
    return absl::InternalError(
        absl::StrCat("applying an entry by unknown key ", signer.ToString()));
  }
  it->second.next_sequence = envelope.sequence + 1;
  dirty_.push_back(signer);
  if (event != nullptr && event->event_case() == KeyEvent::kRevoke) {
    std::array<uint8_t, crypto::kKeyIdSize> bytes;
    std::copy(event->revoke().key_id().begin(), event->revoke().key_id().end(),
              bytes.begin());
    auto revoked = keys_.find(crypto::KeyId(bytes));
    if (revoked == keys_.end())
      return absl::InternalError("revoking an unknown key");
    revoked->second.revoked_at_leaf = leaf_index;
    dirty_.push_back(revoked->first);
  }
  if (event != nullptr && event->event_case() == KeyEvent::kLogKey) {
    auto pub = crypto::PublicKey::FromBytes(event->log_key().public_key());
    if (!pub.ok()) return pub.status();
    // Re-announcing the current key changes nothing (ledgers written before
    // rotation existed accepted it).
    if (log_keys_.empty() || log_keys_.current().key != *pub) {
      log_keys_.Add(leaf_index, *pub);
      log_keys_dirty_ = true;
    }
  }
  return absl::OkStatus();
}

size_t KeyRegistry::CountUnrevoked(Role role) const {
  size_t n = 0;
  for (const auto& [id, info] : keys_) {
    if (info.role == role && !info.revoked()) ++n;
  }
  return n;
}

bool KeyRegistry::TakeLogKeysDirty() {
  const bool dirty = log_keys_dirty_;
  log_keys_dirty_ = false;
  return dirty;
}

void KeyRegistry::Insert(KeyInfo info) {
  dirty_.push_back(info.id);
  const crypto::KeyId id = info.id;
  keys_.insert_or_assign(id, std::move(info));
}

std::vector<KeyInfo> KeyRegistry::All() const {
  std::vector<KeyInfo> out;
  out.reserve(keys_.size());
  for (const auto& [id, info] : keys_) out.push_back(info);
  std::sort(out.begin(), out.end(), [](const KeyInfo& a, const KeyInfo& b) {
    return a.enrolled_at_leaf < b.enrolled_at_leaf;
  });
  return out;
}

std::vector<crypto::KeyId> KeyRegistry::TakeDirty() {
  std::vector<crypto::KeyId> out;
  out.swap(dirty_);
  return out;
}

std::string EncodeKeyInfo(const KeyInfo& info) {
  aifl::ledger::v1::Enrol enrol;
  enrol.set_public_key(std::string(info.public_key->bytes()));
  enrol.set_role(info.role);
  enrol.set_organisation(info.organisation);
  enrol.set_node(info.node);
  enrol.set_tls_identity(info.tls_identity);
  // Derived state: u64 enrolled leaf, u64 revoked leaf + 1 (0 = not revoked),
  // u64 next sequence, then the Enrol message (FORMAT.md, "Storage").
  std::string out;
  entry::PutU64(&out, info.enrolled_at_leaf);
  entry::PutU64(&out, info.revoked_at_leaf ? *info.revoked_at_leaf + 1 : 0);
  entry::PutU64(&out, info.next_sequence);
  out.append(enrol.SerializeAsString());
  return out;
}

absl::StatusOr<KeyInfo> DecodeKeyInfo(absl::string_view bytes) {
  entry::ByteReader in(bytes);
  KeyInfo info;
  uint64_t revoked_plus_one = 0;
  aifl::ledger::v1::Enrol enrol;
  if (!in.ReadU64(&info.enrolled_at_leaf) || !in.ReadU64(&revoked_plus_one) ||
      !in.ReadU64(&info.next_sequence) ||
      !enrol.ParseFromArray(in.rest().data(),
                            static_cast<int>(in.rest().size()))) {
    return absl::DataLossError("stored key record is malformed");
  }
  auto pub = crypto::PublicKey::FromBytes(enrol.public_key());
  if (!pub.ok())
    return absl::DataLossError("stored key record has an invalid public key");
  info.id = crypto::ComputeKeyId(*pub);
  info.public_key = *pub;
  info.role = enrol.role();
  info.organisation = enrol.organisation();
  info.node = enrol.node();
  info.tls_identity = enrol.tls_identity();
  if (revoked_plus_one != 0) info.revoked_at_leaf = revoked_plus_one - 1;
  return info;
}

}  // namespace ledger
