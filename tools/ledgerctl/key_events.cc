#include "tools/ledgerctl/key_events.h"

#include "absl/flags/flag.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/roles.h"
#include "tools/ledgerctl/flags.h"

namespace ledgerctl {

absl::StatusOr<aifl::ledger::v1::KeyEvent> EnrolEventFromFlags() {
  const std::string pub_path = absl::GetFlag(FLAGS_pub);
  if (pub_path.empty()) return absl::InvalidArgumentError("--pub is required");
  ledger::Role role;
  RETURN_IF_ERROR(ledger::ParseRoleName(absl::GetFlag(FLAGS_role), &role));
  ASSIGN_OR_RETURN(ledger::crypto::PublicKey pub,
                   ledger::crypto::ReadPublicKeyFile(pub_path));
  aifl::ledger::v1::KeyEvent event;
  auto* enrol = event.mutable_enrol();
  enrol->set_public_key(std::string(pub.bytes()));
  enrol->set_role(role);
  enrol->set_organisation(absl::GetFlag(FLAGS_organisation));
  enrol->set_node(absl::GetFlag(FLAGS_node));
  enrol->set_tls_identity(absl::GetFlag(FLAGS_tls_identity));
  return event;
}

absl::StatusOr<aifl::ledger::v1::KeyEvent> RevokeEventFromFlags() {
  ASSIGN_OR_RETURN(ledger::crypto::KeyId id, ledger::crypto::KeyId::FromString(
                                                 absl::GetFlag(FLAGS_key_id)));
  aifl::ledger::v1::KeyEvent event;
  event.mutable_revoke()->set_key_id(std::string(
      reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size()));
  event.mutable_revoke()->set_reason(absl::GetFlag(FLAGS_reason));
  return event;
}

}  // namespace ledgerctl
