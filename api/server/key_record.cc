#include "api/server/key_record.h"

#include <string>

#include "ledger/roles.h"

namespace api::server {

void FillKeyRecord(const ledger::KeyInfo& key, aifl::api::v1::KeyRecord* out) {
  out->Clear();
  out->set_key_id(key.id.bytes().data(), key.id.bytes().size());
  if (key.public_key.has_value()) {
    out->set_public_key(std::string(key.public_key->bytes()));
  }
  out->set_role(std::string(ledger::RoleName(key.role)));
  out->set_organisation(key.organisation);
  out->set_node(key.node);
  out->set_tls_identity(key.tls_identity);
  out->set_enrolled_at_leaf(key.enrolled_at_leaf);
  out->set_revoked(key.revoked());
  if (key.revoked()) out->set_revoked_at_leaf(*key.revoked_at_leaf);
  out->set_next_sequence(key.next_sequence);
}

}  // namespace api::server
