// The unit the rules engine consumes: one ledger leaf as the ledger hands it
// over, with the payload still as the exact bytes its submitter signed. The
// engine parses payloads itself and never re-serializes them.
#ifndef RULES_LEDGER_ENTRY_H_
#define RULES_LEDGER_ENTRY_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "ledger/proto/key_event.pb.h"

namespace rules {

struct LedgerEntry {
  // Position in the log; entries are fed in increasing leaf order.
  uint64_t leaf_index = 0;
  // The ledger's own time for the leaf (never decreases along the log).
  absl::Time integration_time = absl::InfinitePast();
  // Role and organisation of the key that signed the envelope.
  aifl::ledger::v1::Role signer_role = aifl::ledger::v1::ROLE_UNSPECIFIED;
  std::string signer_organisation;
  // The TLS identity bound to that key at enrolment (KeyEvent.enrol).
  std::string signer_tls_identity;
  // Full proto message name, e.g. "aifl.collector.v1.IntervalReport".
  std::string payload_type;
  // The exact serialized payload bytes.
  std::string payload;
};

// The principal a key speaks for (ledger/FORMAT.md, "Ownership of models and
// records"): its organisation as the operator enrolled it ("org:" ‖
// organisation), or, for a key enrolled without one, its TLS identity alone
// ("id:" ‖ tls_identity), so that two keys without an organisation never
// share models. A model belongs to the principal of its first declaration.
inline std::string PrincipalOf(absl::string_view organisation,
                               absl::string_view tls_identity) {
  if (!organisation.empty()) return absl::StrCat("org:", organisation);
  return absl::StrCat("id:", tls_identity);
}

// The organisation a principal speaks for: PrincipalOf's organisation, ""
// for a TLS identity's principal ("id:") or none (""). The AI Office's global
// model identity rests on it (compliance/global_model.h): only an
// organisation is a provider across factories.
inline absl::string_view OrganisationOfPrincipal(absl::string_view principal) {
  return absl::ConsumePrefix(&principal, "org:") ? principal
                                                 : absl::string_view();
}

inline std::string SignerPrincipal(const LedgerEntry& e) {
  return PrincipalOf(e.signer_organisation, e.signer_tls_identity);
}

}  // namespace rules

#endif  // RULES_LEDGER_ENTRY_H_
