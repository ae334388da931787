// Fair shares per caller identity (issue 14 item 4; api/README.md "Fair
// shares per identity"): how much of the server one identity (certificate
// CN, or "local") may use at once and per second. ledger_server sets these
// from its flags (fairness_flags.h); each field ends in its default.
#ifndef API_SERVER_FAIRNESS_OPTIONS_H_
#define API_SERVER_FAIRNESS_OPTIONS_H_

#include <cstddef>

namespace api::server {

struct FairnessOptions {
  // Submit batches one identity may have waiting or running at once; beyond,
  // RESOURCE_EXHAUSTED. Default: 64.
  size_t max_submits_per_identity = 64;
  // Request bytes all waiting Submit batches may hold together; beyond,
  // RESOURCE_EXHAUSTED. Default: 256 MiB.
  size_t max_queued_submit_bytes = size_t{256} << 20;
  // WatchFindings streams one identity may hold open. Default: 100.
  size_t max_watchers_per_identity = 100;
  // Rates do not apply to the local operator (insecure loopback mode).
  // Submit calls per second per identity (a token bucket of
  // submit_call_burst calls); beyond, RESOURCE_EXHAUSTED "retry in N s".
  // 0 = no call-rate limit. Default: 200 a second, bursts of 400.
  double submit_calls_per_second = 200;
  double submit_call_burst = 400;
  // Submit entries (envelopes) per second per identity, likewise; a batch
  // larger than the burst is charged into debt rather than refused forever.
  // This also bounds how much signature checking one identity can queue
  // before its bad signatures are counted (bad_signature_* below).
  // 0 = no entry-rate limit. Default: 2,000 a second, bursts of 2,000 (two
  // full batches).
  double submit_entries_per_second = 2000;
  double submit_entry_burst = 2000;
  // Entries with a bad signature an identity may have refused at once, and
  // forgiven per second (bad_signature_backoff.h). Default: 100, 10 a second.
  double bad_signature_burst = 100;
  double bad_signatures_per_second = 10;
  // An identity that owes at least this many seconds of bad signatures is
  // refused at the transport (mTLS only): its connections are closed when it
  // next calls Submit, and its TLS handshakes fail until it owes less, so the
  // server stops reading and parsing its requests (transport_refusal.h).
  // 0 = never. Default: 10 s (at the default forgiveness rate, a debt of 100
  // bad signatures beyond the burst).
  double bad_signature_disconnect_seconds = 10;
};

}  // namespace api::server

#endif  // API_SERVER_FAIRNESS_OPTIONS_H_
