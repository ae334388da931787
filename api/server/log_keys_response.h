// The Audit.GetLogKeys answer for a ledger: every log key with the leaf that
// announced it and, once published, its first checkpoint (the handover, for
// a rotated-to key) with the LogKey leaf and its inclusion proof in it, so a
// client can verify the rotation with no other call. Shared by the server
// and the client tests' fake server.
#ifndef API_SERVER_LOG_KEYS_RESPONSE_H_
#define API_SERVER_LOG_KEYS_RESPONSE_H_

#include "absl/status/statusor.h"
#include "api/v1/ledger_service.pb.h"
#include "ledger/ledger.h"

namespace api::server {

// Storage errors as the ledger reports them.
absl::StatusOr<aifl::api::v1::GetLogKeysResponse> LogKeysResponse(
    const ledger::Ledger& ledger);

}  // namespace api::server

#endif  // API_SERVER_LOG_KEYS_RESPONSE_H_
