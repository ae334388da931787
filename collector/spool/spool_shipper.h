// SpoolShipper: moves sealed envelopes from the Spool to the ledger. Each
// Tick(): when not backing off, seals up to `batch` pending records, sends
// the oldest sealed envelopes, deletes each one whose receipt verifies,
// moves permanently refused ones to rejected/, and keeps the rest. On a
// failed batch (or any envelope left unconfirmed) the next attempt waits
// initial_backoff × 2^(failures-1), at most max_backoff (clock injected).
//
// Thread-compatible: the agent's spool loop owns it.
#ifndef COLLECTOR_SPOOL_SPOOL_SHIPPER_H_
#define COLLECTOR_SPOOL_SPOOL_SHIPPER_H_

#include <cstddef>
#include <cstdint>

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
};

struct ShipStats {
  uint64_t shipped = 0;   // envelopes confirmed and deleted
  uint64_t rejected = 0;  // envelopes refused permanently
  uint64_t failures = 0;  // failed attempts in a row (0 after a success)
};

class SpoolShipper {
 public:
  // None of the pointers is owned; all must outlive the shipper.
  SpoolShipper(Spool* spool, RecordSigner* signer, Shipper* shipper,
               ReceiptVerifier* verifier, const common::Clock* clock,
               ShipOptions options = {});

  // One attempt (or nothing while backing off / with nothing to send).
  // Returns the error that made this attempt fail (the envelopes stay
  // spooled), OK otherwise.
  absl::Status Tick();

  // When the next attempt may run.
  absl::Time next_attempt() const { return next_attempt_; }
  const ShipStats& stats() const { return stats_; }

 private:
  void Backoff();

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
