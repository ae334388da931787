#include "collector/spool/spool_shipper.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collector/spool/ledger_answer.h"
#include "common/status_macros.h"

namespace collector {
namespace spool {

SpoolShipper::SpoolShipper(Spool* spool, RecordSigner* signer, Shipper* shipper,
                           ReceiptVerifier* verifier,
                           const common::Clock* clock, ShipOptions options)
    : spool_(spool),
      signer_(signer),
      shipper_(shipper),
      verifier_(verifier),
      clock_(clock),
      options_(std::move(options)) {}

void SpoolShipper::Backoff() {
  ++stats_.failures;
  absl::Duration d = options_.initial_backoff;
  for (uint64_t i = 1; i < stats_.failures && d < options_.max_backoff; ++i)
    d *= 2;
  next_attempt_ = clock_->Now() + std::min(d, options_.max_backoff);
}

void SpoolShipper::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "collector: %s\n", line.c_str());
  }
}

void SpoolShipper::Hold(size_t envelopes, const absl::Status& why) {
  stats_.held = envelopes;
  stats_.hold_reason = why;
  Backoff();
  Log(absl::StrCat(
      "HOLDING ", spool_->sealed_count() + spool_->pending_count(),
      " spooled records: the ledger does not accept this node's key or TLS "
      "certificate (",
      why.ToString(),
      "). Nothing is refused or lost: enrol the key (ledgerctl enroll), or "
      "fix the certificate/--origin. Retrying in ",
      absl::FormatDuration(
          absl::Ceil(next_attempt_ - clock_->Now(), absl::Seconds(1))),
      "."));
}

absl::Status SpoolShipper::Refuse(const SpoolEntry& entry,
                                  const absl::Status& why) {
  const bool marker = entry.payload_type == kRecordRefusedType;
  if (ClassifyEnvelopeError(why.code()) == LedgerAnswer::kNumberTaken ||
      marker) {
    // A used sequence number, or a refused marker, cannot be filled again:
    // keep the envelope and move on, loudly. The number is used at the
    // ledger: a signer that resumes from what was delivered must not reuse
    // it (a re-shipped copy gets a new one).
    ASSIGN_OR_RETURN(std::string kept, spool_->Reject(entry.id));
    if (!marker) RETURN_IF_ERROR(signer_->Delivered({entry.bytes}));
    ++stats_.number_taken;
    Log(absl::StrCat("ledger REJECTED ", marker ? "refusal marker" : "record",
                     " ", entry.id, " (", why.ToString(),
                     "): kept as rejected/", kept,
                     marker ? "" : " (collector_agent reship-rejected)"));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string marker_envelope,
                   signer_->SignRefusalMarker(entry.bytes, why));
  ASSIGN_OR_RETURN(
      std::string kept,
      spool_->ReplaceSealed(entry.id, kRecordRefusedType, marker_envelope));
  ++stats_.refused;
  Log(absl::StrCat("ledger REFUSED record ", entry.id, " (", why.ToString(),
                   "): kept as rejected/", kept,
                   "; a RecordRefused marker fills its sequence number"));
  return absl::OkStatus();
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
    if (ClassifyBatchError(results.status().code()) == LedgerAnswer::kHold) {
      Hold(batch.size(), results.status());
    } else {
      Backoff();
    }
    return results.status();
  }
  if (results->size() != batch.size()) {
    Backoff();
    return absl::InternalError(
        "shipper returned a result count unlike the batch");
  }
  absl::Status first_error, hold;
  size_t held = 0;
  std::vector<std::string> delivered;
  std::vector<const SpoolEntry*> to_ack;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& r = (*results)[i];
    absl::Status s =
        r.ok() ? verifier_->Verify(batch[i].bytes, *r) : r.status();
    if (s.ok()) {
      delivered.push_back(batch[i].bytes);
      to_ack.push_back(&batch[i]);
      continue;
    }
    // A receipt that does not verify is never a verdict: retry.
    const LedgerAnswer answer =
        r.ok() ? LedgerAnswer::kRetry : ClassifyEnvelopeError(s.code());
    if (answer == LedgerAnswer::kHold) {
      ++held;
      if (hold.ok()) hold = s;
    } else if (answer == LedgerAnswer::kRefused ||
               answer == LedgerAnswer::kNumberTaken) {
      RETURN_IF_ERROR(Refuse(batch[i], s));
      // A marker replacing the envelope goes out next time.
      if (first_error.ok()) first_error = s;
    } else if (first_error.ok()) {
      first_error = s;  // kept; retried after the backoff
    }
  }
  // Record that these sequence numbers are used before their envelopes go.
  if (!delivered.empty()) RETURN_IF_ERROR(signer_->Delivered(delivered));
  for (const SpoolEntry* e : to_ack) {
    RETURN_IF_ERROR(spool_->Ack(e->id));
    ++(e->payload_type == kRecordRefusedType ? stats_.markers_shipped
                                             : stats_.measurements_shipped);
  }
  if (!hold.ok()) {
    Hold(held, hold);
    return hold;
  }
  stats_.held = 0;
  stats_.hold_reason = absl::OkStatus();
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
