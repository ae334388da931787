// Shipper and ReceiptVerifier: how the spool hands signed envelopes to the
// ledger and decides that the ledger really holds them. The gRPC one is
// grpc_shipper.h; tests use testonly/fakes.h.
#ifndef COLLECTOR_SPOOL_SHIPPER_H_
#define COLLECTOR_SPOOL_SHIPPER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace collector {
namespace spool {

// The ledger's acknowledgement of one envelope, opaque to the spool (e.g. a
// signed statement of the envelope's hash and log index).
struct Receipt {
  std::string bytes;
};

class Shipper {
 public:
  virtual ~Shipper() = default;

  // Sends `envelopes` (in spool order) to the ledger. Returns an error for
  // the whole batch when nothing can be said about any envelope (ledger
  // unreachable: kUnavailable / kDeadlineExceeded; the spool backs off and
  // retries). Otherwise one entry per envelope, same order: its receipt, or
  // the ledger's error for it, with the server's canonical code; the spool
  // acts on it as ledger_answer.h says (kPermissionDenied /
  // kUnauthenticated: held and retried; kInvalidArgument: refused for good;
  // kAlreadyExists: number taken; anything else: retried).
  //
  // Contract: idempotent. Re-sending an envelope the ledger already holds
  // returns a receipt for it again (the spool re-sends after a crash or a
  // lost reply). Not called concurrently by the spool.
  virtual absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> Ship(
      absl::Span<const std::string> envelopes) = 0;
};

class ReceiptVerifier {
 public:
  virtual ~ReceiptVerifier() = default;

  // OK when `receipt` proves that the ledger durably holds exactly
  // `envelope`. Otherwise the reason (kDataLoss for a bad signature or a
  // receipt about other bytes); the spool then keeps the envelope and
  // retries: an envelope is deleted only after its receipt verifies.
  virtual absl::Status Verify(absl::string_view envelope,
                              const Receipt& receipt) = 0;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_SHIPPER_H_
