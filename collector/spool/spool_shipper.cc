#include "collector/spool/spool_shipper.h"

#include <algorithm>
#include <cstdio>

#include "common/status_macros.h"

namespace collector {
namespace spool {
namespace {

bool IsPermanent(absl::StatusCode c) {
  return c == absl::StatusCode::kInvalidArgument ||
         c == absl::StatusCode::kFailedPrecondition ||
         c == absl::StatusCode::kPermissionDenied;
}

}  // namespace

SpoolShipper::SpoolShipper(Spool* spool, RecordSigner* signer, Shipper* shipper,
                           ReceiptVerifier* verifier,
                           const common::Clock* clock, ShipOptions options)
    : spool_(spool),
      signer_(signer),
      shipper_(shipper),
      verifier_(verifier),
      clock_(clock),
      options_(options) {}

void SpoolShipper::Backoff() {
  ++stats_.failures;
  absl::Duration d = options_.initial_backoff;
  for (uint64_t i = 1; i < stats_.failures && d < options_.max_backoff; ++i)
    d *= 2;
  next_attempt_ = clock_->Now() + std::min(d, options_.max_backoff);
}

absl::Status SpoolShipper::Tick() {
  if (clock_->Now() < next_attempt_) return absl::OkStatus();
  if (spool_->sealed_count() < options_.batch) {
    absl::StatusOr<size_t> sealed =
        spool_->Seal(signer_, options_.batch - spool_->sealed_count());
    if (!sealed.ok()) {
      Backoff();
      return sealed.status();
    }
  }
  ASSIGN_OR_RETURN(std::vector<SpoolEntry> batch,
                   spool_->Sealed(options_.batch));
  if (batch.empty()) return absl::OkStatus();
  std::vector<std::string> envelopes;
  for (const SpoolEntry& e : batch) envelopes.push_back(e.bytes);
  auto results = shipper_->Ship(envelopes);
  if (!results.ok()) {
    Backoff();
    return results.status();
  }
  if (results->size() != batch.size()) {
    Backoff();
    return absl::InternalError(
        "shipper returned a result count unlike the batch");
  }
  absl::Status first_error;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& r = (*results)[i];
    absl::Status s =
        r.ok() ? verifier_->Verify(batch[i].bytes, *r) : r.status();
    if (s.ok()) {
      RETURN_IF_ERROR(spool_->Ack(batch[i].id));
      ++stats_.shipped;
    } else if (!r.ok() && IsPermanent(s.code())) {
      std::fprintf(stderr, "collector: ledger REJECTED envelope %llu: %s\n",
                   static_cast<unsigned long long>(batch[i].id),
                   s.ToString().c_str());
      RETURN_IF_ERROR(spool_->Reject(batch[i].id));
      ++stats_.rejected;
    } else if (first_error.ok()) {
      first_error = s;  // kept; retried after the backoff
    }
  }
  if (!first_error.ok()) {
    Backoff();
    return first_error;
  }
  stats_.failures = 0;
  next_attempt_ = absl::InfinitePast();
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector
