// Converts gRPC and per-entry statuses into absl::Status: the one place the
// client turns foreign error types into ours. Pure; thread-safe.
#ifndef API_CLIENT_RPC_STATUS_H_
#define API_CLIENT_RPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "api/v1/ledger_service.pb.h"
#include "grpcpp/support/status.h"

namespace api::client {

// The same code as `status` (gRPC and Abseil share the canonical codes) and
// the message "<method>: <message>", e.g. "Audit.GetCheckpoint: not found".
// OK stays OK.
absl::Status FromGrpcStatus(absl::string_view method,
                            const grpc::Status& status);

// A rejected entry's status: its code (kUnknown for a code outside the
// canonical range, or for 0, which is no error) and message.
absl::Status FromEntryError(const aifl::api::v1::EntryError& error);

}  // namespace api::client

#endif  // API_CLIENT_RPC_STATUS_H_
