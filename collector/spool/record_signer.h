// RecordSigner: how the spool turns an unsigned payload into a signed
// envelope. The real implementation is ledger_record_signer.h (the ledger's
// envelope format, the node's collector key); `collector_agent run` without
// --key uses dev_sinks.h's unsigned stand-in (development only); tests use
// testonly/fakes.h. The spool (Spool::Seal) and the shipper
// (spool_shipper.h) call it from the agent's one loop thread.
#ifndef COLLECTOR_SPOOL_RECORD_SIGNER_H_
#define COLLECTOR_SPOOL_RECORD_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "rules/payload_types.h"

namespace collector {
namespace spool {

// The payload type of refusal markers (schema/collector.proto).
inline constexpr absl::string_view kRecordRefusedType =
    rules::kRecordRefusedType;

class RecordSigner {
 public:
  virtual ~RecordSigner() = default;

  // Signs `payload` (the exact serialized bytes, never re-serialized) as
  // `payload_type` (e.g. "aifl.collector.v1.IntervalReport") with this
  // collector's key, assigning the next per-key sequence number, and returns
  // the signed envelope bytes. The spool stores and ships exactly these
  // bytes, so re-sending after a crash is idempotent at the ledger.
  //
  // Contract for implementations: no gap and no reuse of a sequence number
  // that may have reached the ledger. The spool fsyncs every envelope before
  // its first send, so the next number after a restart is one past the
  // highest of: the sealed envelopes in the spool, the ones reported through
  // Delivered(), and the ledger's own count when known. An envelope signed
  // but lost in a crash before its fsync never left the node, so its number
  // is simply signed again (see ledger_record_signer.h). Any error stops
  // sealing for this attempt: the payload stays pending, unsigned, and the
  // shipper returns the error and tries again after its backoff. Never called
  // concurrently.
  virtual absl::StatusOr<std::string> SignNext(absl::string_view payload_type,
                                               absl::string_view payload) = 0;

  // The ledger requires each key's sequence numbers to be contiguous: an
  // envelope whose bytes it judges invalid (kInvalidArgument; never a key or
  // certificate it does not accept, which holds the envelopes instead: see
  // ledger_answer.h) would leave a gap that blocks every later one. This
  // signs a marker (kRecordRefusedType) under the refused envelope's own
  // sequence number, recording what was refused and why, so the chain goes
  // on and the log shows the refusal. On an error the refused envelope stays
  // sealed and is sent again at the next attempt.
  virtual absl::StatusOr<std::string> SignRefusalMarker(
      absl::string_view refused_envelope, const absl::Status& why) = 0;

  // Called by the shipper with envelopes whose receipts verified, before
  // the spool deletes them, and with envelopes whose number the ledger
  // reports as used by other bytes (kAlreadyExists), before they move to
  // rejected/: an implementation that recovers its sequence counter from the
  // spool persists here that these sequence numbers are used. An error
  // ends the shipping attempt with it; verified envelopes are then not
  // deleted yet (sent again, the ledger answers with the same receipts).
  virtual absl::Status Delivered(absl::Span<const std::string> envelopes) {
    return absl::OkStatus();
  }
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_RECORD_SIGNER_H_
