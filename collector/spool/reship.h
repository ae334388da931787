// Re-shipping rejected/ after the cause of a refusal is fixed. A rejected
// envelope's sequence number is already filled at the ledger (by its
// RecordRefused marker, or by other bytes), so the envelope itself can never
// land: its payload (the exact bytes) is queued again as a new pending
// record and is signed, at the next shipping attempt, under a new sequence
// number. The rejected file moves on to rejected/reshipped/ (nothing in
// rejected/ is deleted or overwritten). Refusal markers and files that do
// not decode stay where they are.
#ifndef COLLECTOR_SPOOL_RESHIP_H_
#define COLLECTOR_SPOOL_RESHIP_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/spool/spool.h"

namespace collector {
namespace spool {

// The payload an envelope carries: `payload` is the exact signed bytes.
struct OpenedEnvelope {
  std::string payload_type;
  std::string payload;
};
// Parses an envelope of the signer's format (no signature check).
using EnvelopeOpener =
    std::function<absl::StatusOr<OpenedEnvelope>(absl::string_view envelope)>;

struct ReshipCounts {
  uint64_t requeued = 0;    // measurements queued again
  uint64_t markers = 0;     // refusal markers left in rejected/
  uint64_t unreadable = 0;  // files that do not decode or open, left alone
};

// Queues every measurement in `spool`'s rejected/ again (see above).
// Unreadable files are counted and left, each named through `log`. Errors:
// the spool's (kResourceExhausted when the spool is full: what was queued
// so far stays queued; run again later).
absl::StatusOr<ReshipCounts> ReshipRejected(
    Spool* spool, const EnvelopeOpener& open,
    const std::function<void(const std::string&)>& log);

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_RESHIP_H_
