// RecordSigner: how the spool turns an unsigned payload into a signed
// envelope. The real implementation wraps the ledger's envelope format and
// the collector's key (later); tests use testonly/fake_signer.h.
#ifndef COLLECTOR_SPOOL_RECORD_SIGNER_H_
#define COLLECTOR_SPOOL_RECORD_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collector {
namespace spool {

class RecordSigner {
 public:
  virtual ~RecordSigner() = default;

  // Signs `payload` (the exact serialized bytes, never re-serialized) as
  // `payload_type` (e.g. "aifl.collector.v1.IntervalReport") with this
  // collector's key, assigning the next per-key sequence number, and returns
  // the signed envelope bytes. The spool stores and ships exactly these
  // bytes, so re-sending after a crash is idempotent at the ledger.
  //
  // Contract for implementations: a sequence number is never reused, also
  // across restarts (persist the counter before returning). A crash between
  // SignNext and the spool's fsync of the envelope leaves a gap in the
  // sequence, never a duplicate. Errors: kUnavailable when the key is not
  // reachable (the spool retries later); anything else is reported as is.
  // Not called concurrently by the spool.
  virtual absl::StatusOr<std::string> SignNext(absl::string_view payload_type,
                                               absl::string_view payload) = 0;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_RECORD_SIGNER_H_
