#include "collector/spool/spool_shipper.h"

#include <algorithm>
#include <cstdio>

#include "common/status_macros.h"

namespace collector {
namespace spool {
namespace {

// Refusals that sending again cannot cure. kFailedPrecondition is not one:
// the ledger answers it for a sequence gap, which heals once the missing
// earlier envelope (or its refusal marker) lands.
bool IsPermanent(absl::StatusCode c) {
  return c == absl::StatusCode::kInvalidArgument ||
         c == absl::StatusCode::kPermissionDenied ||
         c == absl::StatusCode::kUnauthenticated ||
         c == absl::StatusCode::kAlreadyExists;
}

constexpr absl::string_view kRefusalMarkerType =
    "aifl.collector.v1.RecordRefused";

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
  std::vector<std::string> delivered;
  std::vector<uint64_t> to_ack;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& r = (*results)[i];
    absl::Status s =
        r.ok() ? verifier_->Verify(batch[i].bytes, *r) : r.status();
    if (s.ok()) {
      delivered.push_back(batch[i].bytes);
      to_ack.push_back(batch[i].id);
    } else if (!r.ok() && IsPermanent(s.code())) {
      std::fprintf(stderr, "collector: ledger REJECTED envelope %llu: %s\n",
                   static_cast<unsigned long long>(batch[i].id),
                   s.ToString().c_str());
      ++stats_.rejected;
      // A used sequence number (kAlreadyExists) or a refused marker cannot
      // be filled again: keep the evidence and move on, loudly.
      if (s.code() == absl::StatusCode::kAlreadyExists ||
          batch[i].payload_type == kRefusalMarkerType) {
        RETURN_IF_ERROR(spool_->Reject(batch[i].id));
        continue;
      }
      ASSIGN_OR_RETURN(std::string marker,
                       signer_->SignRefusalMarker(batch[i].bytes, s));
      RETURN_IF_ERROR(
          spool_->ReplaceSealed(batch[i].id, kRefusalMarkerType, marker));
      if (first_error.ok()) first_error = s;  // the marker goes out next time
    } else if (first_error.ok()) {
      first_error = s;  // kept; retried after the backoff
    }
  }
  // Record that these sequence numbers are used before their envelopes go.
  if (!delivered.empty()) RETURN_IF_ERROR(signer_->Delivered(delivered));
  for (uint64_t id : to_ack) {
    RETURN_IF_ERROR(spool_->Ack(id));
    ++stats_.shipped;
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
