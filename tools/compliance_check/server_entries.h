// compliance_check --server: reads the rules engine's input from a ledger
// server through the verifying client, so a server cannot hide or change a
// fact: the latest checkpoint is verified (signature, consistency with the
// client's trusted checkpoint), every leaf it covers is fetched and the
// leaves are hashed into a Merkle root that must equal the checkpoint's. The
// findings are then re-derived here, not taken from the server.
#ifndef TOOLS_COMPLIANCE_CHECK_SERVER_ENTRIES_H_
#define TOOLS_COMPLIANCE_CHECK_SERVER_ENTRIES_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/client/ledger_client.h"
#include "tools/compliance_check/ledger_entries.h"

namespace compliance_check {

// Errors: the client's (kDataLoss when the server misbehaves, its gRPC code
// otherwise); kDataLoss when the leaves do not reproduce the checkpoint root.
// A leaf whose key the server does not list as enrolled at it is not
// evidence: left out and counted (VerifiedEntries::not_evidence).
absl::StatusOr<VerifiedEntries> ReadVerifiedEntriesFromServer(
    api::client::LedgerClient& client, std::optional<absl::Time> as_of);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_SERVER_ENTRIES_H_
