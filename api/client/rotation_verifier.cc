#include "api/client/rotation_verifier.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/key_registry.h"

namespace api::client {
namespace {

absl::Status Bad(uint64_t leaf, absl::string_view why) {
  return absl::DataLossError(
      absl::StrCat("log-key rotation at leaf ", leaf, ": ", why));
}

}  // namespace

absl::StatusOr<VerifiedRotation> VerifyRotation(
    const LogVerifier& old_verifier,
    const aifl::api::v1::LogKeyRecord& record) {
  const uint64_t leaf_index = record.announced_at_leaf();
  if (record.first_checkpoint_size() <= leaf_index) {
    return Bad(leaf_index, absl::StrCat("no handover checkpoint (got size ",
                                        record.first_checkpoint_size(), ")"));
  }
  absl::StatusOr<ledger::crypto::PublicKey> new_key =
      ledger::crypto::PublicKey::FromBytes(record.public_key());
  if (!new_key.ok()) {
    return Bad(leaf_index, absl::StrCat("the announced key is invalid: ",
                                        new_key.status().message()));
  }
  absl::StatusOr<LogVerifier> new_verifier = LogVerifier::Create(
      ledger::LogVerifierKey(old_verifier.origin(), *new_key));
  if (!new_verifier.ok())
    return Bad(leaf_index, new_verifier.status().message());

  // The old key must vouch for the handover, the new key must sign it too.
  absl::StatusOr<VerifiedCheckpoint> by_old =
      old_verifier.VerifyCheckpoint(record.first_checkpoint_note());
  if (!by_old.ok()) {
    return Bad(leaf_index,
               absl::StrCat("the handover checkpoint is not signed by the "
                            "previous log key: ",
                            by_old.status().message()));
  }
  absl::StatusOr<VerifiedCheckpoint> by_new =
      new_verifier->VerifyCheckpoint(record.first_checkpoint_note());
  if (!by_new.ok()) {
    return Bad(leaf_index,
               absl::StrCat("the handover checkpoint is not signed by the "
                            "announced key: ",
                            by_new.status().message()));
  }
  if (by_old->fields.size != record.first_checkpoint_size()) {
    return Bad(
        leaf_index,
        absl::StrCat("the handover checkpoint has size ", by_old->fields.size,
                     ", the record says ", record.first_checkpoint_size()));
  }

  // The LogKey leaf is in the handover tree and announces exactly this key.
  std::vector<std::string> hashes(record.inclusion_proof().begin(),
                                  record.inclusion_proof().end());
  ASSIGN_OR_RETURN(std::vector<ledger::merkle::Hash> proof,
                   ProofHashes(hashes));
  RETURN_IF_ERROR(old_verifier.VerifyInclusion(
      leaf_index, ledger::merkle::HashLeaf(record.leaf()), proof,
      by_old->fields));
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(record.leaf());
  absl::StatusOr<ledger::entry::Envelope> envelope =
      leaf.ok() ? ledger::entry::ParseEnvelope(leaf->envelope)
                : absl::StatusOr<ledger::entry::Envelope>(leaf.status());
  if (!envelope.ok() || envelope->payload_type != ledger::kKeyEventType) {
    return Bad(leaf_index, "the leaf is not a key event");
  }
  absl::StatusOr<aifl::ledger::v1::KeyEvent> event =
      ledger::ParseKeyEvent(envelope->payload);
  if (!event.ok() || !event->has_log_key() ||
      event->log_key().public_key() != record.public_key() ||
      event->log_key().origin() != old_verifier.origin()) {
    return Bad(leaf_index,
               "the leaf is not a LogKey event announcing the new key for "
               "this log");
  }
  return VerifiedRotation{*std::move(new_verifier), *std::move(by_old)};
}

}  // namespace api::client
