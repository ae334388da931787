#include "collector/spool/grpc_shipper.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/v1/ledger_service.pb.h"

namespace collector {
namespace spool {

absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> GrpcLedgerShipper::Ship(
    absl::Span<const std::string> envelopes) {
  auto results = client_->Submit(envelopes);
  if (!results.ok()) return results.status();
  std::vector<absl::StatusOr<Receipt>> out;
  out.reserve(results->size());
  for (size_t i = 0; i < results->size(); ++i) {
    const auto& r = (*results)[i];
    if (!r.ok()) {
      out.push_back(r.status());
      continue;
    }
    unconfirmed_.push_back({envelopes[i], *r});
    out.push_back(Receipt{r->SerializeAsString()});
  }
  return out;
}

absl::Status GrpcLedgerShipper::Verify(absl::string_view envelope,
                                       const Receipt& receipt) {
  aifl::api::v1::DurableReceipt durable;
  if (!durable.ParseFromString(receipt.bytes)) {
    return absl::DataLossError("receipt: not a DurableReceipt");
  }
  if (confirmed_.count(durable.leaf_index()) == 0) {
    // Confirm the whole outstanding batch in one proof call, or just this
    // envelope when it was not shipped by this object (e.g. after a restart).
    std::vector<api::client::SubmittedEntry> batch;
    bool found = false;
    for (const auto& e : unconfirmed_) {
      found = found || e.receipt.leaf_index() == durable.leaf_index();
    }
    if (found) {
      batch = std::move(unconfirmed_);
      unconfirmed_.clear();
    } else {
      batch.push_back({std::string(envelope), durable});
    }
    for (size_t start = 0; start < batch.size(); start += 1000) {
      const size_t n = std::min<size_t>(1000, batch.size() - start);
      absl::Status s = client_->ConfirmIncluded(
          absl::MakeConstSpan(batch).subspan(start, n), /*wait=*/true);
      if (!s.ok()) {
        // The records stay spooled: say so, and why (a witness policy's
        // error names the missing witnesses).
        return absl::Status(s.code(),
                            absl::StrCat(n,
                                         " record(s) not yet durably logged, "
                                         "kept in the spool: ",
                                         s.message()));
      }
    }
    for (auto& e : batch) {
      confirmed_[e.receipt.leaf_index()] = std::move(e.envelope);
    }
  }
  // The proof covered the bytes shipped at this index: they must be the
  // envelope the spool asks about.
  auto it = confirmed_.find(durable.leaf_index());
  if (it == confirmed_.end() || it->second != envelope) {
    return absl::DataLossError(absl::StrCat("receipt for leaf ",
                                            durable.leaf_index(),
                                            " does not match the envelope"));
  }
  confirmed_.erase(it);
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector
