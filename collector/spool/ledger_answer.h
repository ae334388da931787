// What the spool does with the ledger's answer to one envelope (or to a
// whole Ship() call). Pure: a table over canonical status codes, kept in one
// place and documented in collector/README.md ("What the ledger's answers
// mean"). The codes are the server's (api/README.md, ledger/ledger.h):
//   kPermissionDenied  unknown (not yet enrolled) or revoked key, a key whose
//                      role may not sign the type, a TLS role that may not
//                      submit, a key bound to another TLS identity
//   kUnauthenticated   no/unusable client certificate, or a signature that
//                      does not verify (e.g. a wrong --origin)
// are the node's configuration, not a verdict on the record: the envelopes
// are held and retried. Only kInvalidArgument judges the bytes themselves.
#ifndef COLLECTOR_SPOOL_LEDGER_ANSWER_H_
#define COLLECTOR_SPOOL_LEDGER_ANSWER_H_

#include "absl/status/status.h"

namespace collector {
namespace spool {

enum class LedgerAnswer {
  // Keep the envelope and send the same bytes again after the backoff
  // (unreachable ledger, sequence gap, read-only ledger, storage error…).
  kRetry,
  // The ledger does not accept this node's key or certificate (yet): keep
  // the envelope, retry after the backoff, say so loudly, and end a run that
  // stops in this state with a non-zero status. Never a refusal marker.
  kHold,
  // A verdict on the envelope's bytes (kInvalidArgument): keep the original
  // in rejected/ and fill its sequence number with a signed RecordRefused
  // marker, so the key's later envelopes are not blocked.
  kRefused,
  // The sequence number is already used at the ledger with other bytes
  // (kAlreadyExists): nothing can fill it again. Keep the envelope in
  // rejected/ (re-shippable under a new number), loudly.
  kNumberTaken,
};

// The answer for a per-envelope error `code`.
LedgerAnswer ClassifyEnvelopeError(absl::StatusCode code);

// The answer for an error of a whole Ship() call: kHold for
// kUnauthenticated / kPermissionDenied (the call itself was refused for
// this node's certificate or role), kRetry otherwise. A whole call is never
// a verdict on any one envelope.
LedgerAnswer ClassifyBatchError(absl::StatusCode code);

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_LEDGER_ANSWER_H_
