// SpoolShipper: moves sealed envelopes from the Spool to the ledger. Each
// Tick(): when not backing off, seals up to `batch` pending records, sends
// the oldest sealed envelopes, deletes each one whose receipt verifies, and
// acts on each refusal as ledger_answer.h classifies it:
//   hold         (the ledger does not accept this node's key/certificate):
//                kept sealed, retried, one loud log line per attempt;
//   refused      (kInvalidArgument, a verdict on the bytes): original kept
//                in rejected/, its number filled by a RecordRefused marker;
//   number taken (kAlreadyExists): kept in rejected/, loudly;
//   retry        (anything else): kept sealed.
// On a failed attempt (or any envelope left unconfirmed) the next attempt
// waits initial_backoff × 2^(failures-1), at most max_backoff (clock
// injected). Nothing is ever deleted unless its receipt verified, and
// nothing in rejected/ is overwritten (spool.h).
//
// Thread-compatible: the agent's spool loop owns it.
#ifndef COLLECTOR_SPOOL_SPOOL_SHIPPER_H_
#define COLLECTOR_SPOOL_SPOOL_SHIPPER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "collector/spool/record_signer.h"
#include "collector/spool/shipper.h"
#include "collector/spool/spool.h"
#include "common/clock.h"

namespace collector {
namespace spool {

struct ShipOptions {
  // Envelopes per Ship() call. Default: 64.
  size_t batch = 64;
  // First retry delay after a failure. Default: 1 s.
  absl::Duration initial_backoff = absl::Seconds(1);
  // Longest retry delay. Default: 5 minutes.
  absl::Duration max_backoff = absl::Minutes(5);
  // Where loud lines go (holds, refusals). Default: stderr.
  std::function<void(const std::string&)> log;
};

// Counts since the shipper was made; each says what it counts.
struct ShipStats {
  // Measurements (every envelope but refusal markers) confirmed and deleted.
  uint64_t measurements_shipped = 0;
  // RecordRefused markers confirmed and deleted.
  uint64_t markers_shipped = 0;
  // Measurements the ledger judged invalid (kInvalidArgument): each kept in
  // rejected/ and its number filled by a marker.
  uint64_t refused = 0;
  // Envelopes moved to rejected/ without a marker: number already used
  // (kAlreadyExists), or a refused marker.
  uint64_t number_taken = 0;
  // Envelopes the last attempt could not deliver because the ledger does
  // not accept this node's key or certificate (0 once an attempt gets past
  // that); `hold_reason` says why.
  uint64_t held = 0;
  absl::Status hold_reason;
  // Failed attempts in a row (0 after a success).
  uint64_t failures = 0;

  // Every envelope confirmed and deleted: measurements and markers.
  uint64_t envelopes_shipped() const {
    return measurements_shipped + markers_shipped;
  }
};

class SpoolShipper {
 public:
  // None of the pointers is owned; all must outlive the shipper.
  SpoolShipper(Spool* spool, RecordSigner* signer, Shipper* shipper,
               ReceiptVerifier* verifier, const common::Clock* clock,
               ShipOptions options = {});

  // One attempt (or nothing while backing off / with nothing to send).
  // Returns the error that made this attempt fail (the envelopes stay
  // spooled; a hold returns the ledger's kPermissionDenied /
  // kUnauthenticated), OK otherwise.
  absl::Status Tick();

  // When the next attempt may run.
  absl::Time next_attempt() const { return next_attempt_; }
  const ShipStats& stats() const { return stats_; }

 private:
  void Backoff();
  void Log(const std::string& line) const;
  // Records a hold of `envelopes` for `why` and logs it (every attempt).
  void Hold(size_t envelopes, const absl::Status& why);
  // Acts on a refusal the ledger gave `entry` (refused / number taken).
  absl::Status Refuse(const SpoolEntry& entry, const absl::Status& why);

  Spool* spool_;
  RecordSigner* signer_;
  Shipper* shipper_;
  ReceiptVerifier* verifier_;
  const common::Clock* clock_;
  const ShipOptions options_;
  absl::Time next_attempt_ = absl::InfinitePast();
  ShipStats stats_;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_SPOOL_SHIPPER_H_
