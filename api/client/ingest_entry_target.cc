#include "api/client/ingest_entry_target.h"

#include <algorithm>
#include <utility>

#include "common/status_macros.h"
#include "ledger/roles.h"

namespace api::client {

namespace v1 = ::aifl::api::v1;

// Ingest.Submit's limit per call (api/README.md).
constexpr size_t kMaxPerSubmit = 1000;

std::string IngestEntryTarget::Origin() const {
  return client_->configured_verifier().origin();
}

absl::StatusOr<std::optional<ledger::KeyInfo>> IngestEntryTarget::FindKey(
    const ledger::crypto::KeyId& id) {
  absl::StatusOr<v1::KeyRecord> record = client_->OwnKeyState(absl::string_view(
      reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size()));
  if (absl::IsNotFound(record.status())) {
    return std::optional<ledger::KeyInfo>();
  }
  if (!record.ok()) return record.status();
  ledger::KeyInfo info;
  info.id = id;
  RETURN_IF_ERROR(ledger::ParseRoleName(record->role(), &info.role));
  info.organisation = record->organisation();
  info.node = record->node();
  info.tls_identity = record->tls_identity();
  info.enrolled_at_leaf = record->enrolled_at_leaf();
  if (record->revoked()) info.revoked_at_leaf = record->revoked_at_leaf();
  info.next_sequence = record->next_sequence();
  return std::optional<ledger::KeyInfo>(std::move(info));
}

absl::StatusOr<std::vector<ledger::AppendResult>> IngestEntryTarget::Append(
    absl::Span<const std::string> envelopes) {
  std::vector<ledger::AppendResult> out;
  out.reserve(envelopes.size());
  for (size_t start = 0; start < envelopes.size(); start += kMaxPerSubmit) {
    const size_t n = std::min(kMaxPerSubmit, envelopes.size() - start);
    ASSIGN_OR_RETURN(auto results,
                     client_->Submit(envelopes.subspan(start, n)));
    for (absl::StatusOr<v1::DurableReceipt>& r : results) {
      ledger::AppendResult a;
      if (r.ok()) {
        a.leaf_index = r->leaf_index();
        a.integration_time_micros = r->integration_time_unix_micros();
        a.duplicate = r->duplicate();
      } else {
        a.status = r.status();
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace api::client
