// EntryTarget: where a signer's entries go, so one recording logic
// (SignedAppender, FindingsRecorder, OfficeRecorder) writes either to a
// ledger this process holds (LedgerEntryTarget, below) or to a ledger_server
// through its gRPC ingest (api/client/ingest_entry_target.h; the AI Office
// monitor, while the server serves the same ledger to auditors).
//
// Durability: a result with an OK status is durable (the ledger's synced
// write, or the server's DurableReceipt). An identical envelope sent again
// (same key, sequence and bytes) is answered with its original receipt
// (`duplicate`), so a caller that did not hear the answer resends the same
// bytes, never a re-signed copy.
#ifndef COMPLIANCE_ENTRY_TARGET_H_
#define COMPLIANCE_ENTRY_TARGET_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/crypto/key_id.h"
#include "ledger/key_registry.h"
#include "ledger/ledger.h"

namespace compliance {

class EntryTarget {
 public:
  virtual ~EntryTarget() = default;

  // The log's origin (the entries are signed for it).
  virtual std::string Origin() const = 0;

  // Key `id` as the target knows it (role, revocation, next sequence);
  // nullopt when it is not enrolled (or, at a server, not one this client
  // may submit with). An error when the target cannot be asked.
  virtual absl::StatusOr<std::optional<ledger::KeyInfo>> FindKey(
      const ledger::crypto::KeyId& id) = 0;

  // Appends `envelopes` in order. OK: one result per envelope, each durable
  // at its leaf index or refused with the ledger's code. An error: no answer
  // (e.g. the server unreachable); any of them may have landed, so resend
  // the same bytes.
  virtual absl::StatusOr<std::vector<ledger::AppendResult>> Append(
      absl::Span<const std::string> envelopes) = 0;
};

// A ledger this process opened read-write (not owned; must outlive this).
class LedgerEntryTarget final : public EntryTarget {
 public:
  explicit LedgerEntryTarget(ledger::Ledger* ledger) : ledger_(ledger) {}

  std::string Origin() const override { return ledger_->origin(); }
  absl::StatusOr<std::optional<ledger::KeyInfo>> FindKey(
      const ledger::crypto::KeyId& id) override {
    return ledger_->FindKey(id);
  }
  absl::StatusOr<std::vector<ledger::AppendResult>> Append(
      absl::Span<const std::string> envelopes) override {
    return ledger_->Append(envelopes);
  }

 private:
  ledger::Ledger* const ledger_;
};

}  // namespace compliance

#endif  // COMPLIANCE_ENTRY_TARGET_H_
