#include "api/server/log_keys_response.h"

#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"

namespace api::server {

absl::StatusOr<aifl::api::v1::GetLogKeysResponse> LogKeysResponse(
    const ledger::Ledger& ledger) {
  aifl::api::v1::GetLogKeysResponse response;
  const ledger::LogKeyHistory history = ledger.LogKeys();
  for (const ledger::LogKeyEpoch& epoch : history.epochs()) {
    aifl::api::v1::LogKeyRecord* record = response.add_log_keys();
    record->set_announced_at_leaf(epoch.announced_at_leaf);
    record->set_public_key(std::string(epoch.key.bytes()));
    record->set_verifier_key(
        ledger::LogVerifierKey(ledger.origin(), epoch.key));
    ASSIGN_OR_RETURN(std::optional<uint64_t> first,
                     ledger.FirstCheckpointAfter(epoch.announced_at_leaf));
    if (!first.has_value()) continue;
    ASSIGN_OR_RETURN(std::string note, ledger.CheckpointAt(*first));
    ASSIGN_OR_RETURN(std::string leaf, ledger.GetLeaf(epoch.announced_at_leaf));
    ASSIGN_OR_RETURN(std::vector<ledger::merkle::Hash> proof,
                     ledger.InclusionProof(epoch.announced_at_leaf, *first));
    record->set_first_checkpoint_size(*first);
    record->set_first_checkpoint_note(note);
    record->set_leaf(leaf);
    for (const ledger::merkle::Hash& h : proof) {
      record->add_inclusion_proof(
          std::string(reinterpret_cast<const char*>(h.data()), h.size()));
    }
  }
  return response;
}

}  // namespace api::server
