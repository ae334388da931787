#include "tools/ledgerctl/leaf_text.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

namespace ledgerctl {

std::string LeafPayloadType(absl::string_view leaf_bytes) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) return "?";
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(leaf->envelope);
  return envelope.ok() ? envelope->payload_type : "?";
}

std::string LeafTime(absl::string_view leaf_bytes) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) return "?";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", leaf->integration_time(),
                          absl::UTCTimeZone());
}

}  // namespace ledgerctl
