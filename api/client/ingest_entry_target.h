// IngestEntryTarget: a ledger_server's gRPC ingest as the EntryTarget of a
// signer (compliance/entry_target.h), through the verifying LedgerClient:
// the key's state from Ingest.GetOwnKeyState, entries through Ingest.Submit
// (in calls of at most 1,000), each acknowledged by its DurableReceipt. The
// AI Office monitor records into its Office ledger this way while a
// ledger_server serves it. The client's TLS identity and role must be the
// ones the key is bound to (api/README.md, "Roles").
//
// Thread-compatible; the client is not owned and must outlive this.
#ifndef API_CLIENT_INGEST_ENTRY_TARGET_H_
#define API_CLIENT_INGEST_ENTRY_TARGET_H_

#include <optional>
#include <string>
#include <vector>

#include "api/client/ledger_client.h"
#include "compliance/entry_target.h"

namespace api::client {

class IngestEntryTarget final : public compliance::EntryTarget {
 public:
  explicit IngestEntryTarget(LedgerClient* client) : client_(client) {}

  std::string Origin() const override;
  // nullopt when the server reports no such key of this client's.
  absl::StatusOr<std::optional<ledger::KeyInfo>> FindKey(
      const ledger::crypto::KeyId& id) override;
  // A call that fails as a whole (after earlier calls landed) is the
  // call's error: the caller resends the same envelopes (duplicates are
  // answered with their original receipts).
  absl::StatusOr<std::vector<ledger::AppendResult>> Append(
      absl::Span<const std::string> envelopes) override;

 private:
  LedgerClient* const client_;
};

}  // namespace api::client

#endif  // API_CLIENT_INGEST_ENTRY_TARGET_H_
