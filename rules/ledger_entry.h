// The unit the rules engine consumes: one ledger leaf as the ledger hands it
// over, with the payload still as the exact bytes its submitter signed. The
// engine parses payloads itself and never re-serializes them.
#ifndef RULES_LEDGER_ENTRY_H_
#define RULES_LEDGER_ENTRY_H_

#include <cstdint>
#include <string>

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
  // Full proto message name, e.g. "aifl.collector.v1.IntervalReport".
  std::string payload_type;
  // The exact serialized payload bytes.
  std::string payload;
};

}  // namespace rules

#endif  // RULES_LEDGER_ENTRY_H_
