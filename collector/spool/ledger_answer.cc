#include "collector/spool/ledger_answer.h"

namespace collector {
namespace spool {

LedgerAnswer ClassifyEnvelopeError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return LedgerAnswer::kHold;
    case absl::StatusCode::kInvalidArgument:
      return LedgerAnswer::kRefused;
    case absl::StatusCode::kAlreadyExists:
      return LedgerAnswer::kNumberTaken;
    default:  // kFailedPrecondition (gap, read-only), kUnavailable, …
      return LedgerAnswer::kRetry;
  }
}

LedgerAnswer ClassifyBatchError(absl::StatusCode code) {
  return code == absl::StatusCode::kPermissionDenied ||
                 code == absl::StatusCode::kUnauthenticated
             ? LedgerAnswer::kHold
             : LedgerAnswer::kRetry;
}

}  // namespace spool
}  // namespace collector
