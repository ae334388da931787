// Shipper and ReceiptVerifier: how the spool's shipper (spool_shipper.h)
// hands signed envelopes to the ledger and decides that the ledger really
// holds them. The real one is grpc_shipper.h (both interfaces, over the
// verifying ledger client); `collector_agent run --out_dir` uses
// dev_sinks.h's folder stand-in (development only); tests use
// testonly/fakes.h.
#ifndef COLLECTOR_SPOOL_SHIPPER_H_
#define COLLECTOR_SPOOL_SHIPPER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace collector {
namespace spool {

// The ledger's acknowledgement of one envelope, opaque to the spool and
// meaningful to the ReceiptVerifier of the same implementation (gRPC: the
// serialized DurableReceipt, with the leaf index; folder stand-in: the
// file's path).
struct Receipt {
  std::string bytes;
};

class Shipper {
 public:
  virtual ~Shipper() = default;

  // Sends `envelopes` (in spool order) to the ledger. Returns an error for
  // the whole batch when nothing can be said about any envelope: the ledger
  // unreachable (kUnavailable / kDeadlineExceeded: retried after the
  // backoff) or the call itself refused for this node's certificate or role
  // (kUnauthenticated / kPermissionDenied: held, see ledger_answer.h).
  // Otherwise one entry per envelope, same order: its receipt, or the
  // ledger's error for it, with the server's canonical code; the shipper
  // acts on it as ledger_answer.h says (kPermissionDenied /
  // kUnauthenticated: held and retried; kInvalidArgument: refused for good;
  // kAlreadyExists: number taken; anything else: retried).
  //
  // Contract: idempotent. Re-sending an envelope the ledger already holds
  // returns a receipt for it again (the shipper re-sends after a crash or a
  // lost reply). Never called concurrently.
  virtual absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> Ship(
      absl::Span<const std::string> envelopes) = 0;
};

class ReceiptVerifier {
 public:
  virtual ~ReceiptVerifier() = default;

  // OK when `receipt` proves that the ledger durably holds exactly
  // `envelope`. Otherwise the reason (kDataLoss for a proof that fails or a
  // receipt about other bytes; the client's code when the proof could not
  // be fetched). Any error keeps the envelope sealed, to be sent again: a
  // receipt that does not verify is never a verdict on the envelope, and an
  // envelope is deleted only after its receipt verifies.
  virtual absl::Status Verify(absl::string_view envelope,
                              const Receipt& receipt) = 0;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_SHIPPER_H_
