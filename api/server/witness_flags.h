// ledger_server's witnessing flags (--witness_policy, --witness_timeout,
// --witness_backoff_min/max, --wait_for_quorum); documented in
// docs/operator-guide.md, section 11. Link only into the binary.
#ifndef API_SERVER_WITNESS_FLAGS_H_
#define API_SERVER_WITNESS_FLAGS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/server/ledger_server.h"
#include "ledger/witness_policy/policy.h"

namespace api::server {

// Sets options->witness_policy (read and parsed from --witness_policy, none
// when empty), witness_options and wait_for_quorum. Call after
// absl::ParseCommandLine. kInvalidArgument naming the flag for an unreadable
// or malformed policy or bad durations.
absl::Status WitnessOptionsFromFlags(ServerOptions* options);

// The tlog-policy in the file `path` given by --`flag`. kInvalidArgument
// naming the flag (and the file) when it is unreadable or malformed.
absl::StatusOr<ledger::witness_policy::Policy> ReadPolicyFlag(
    absl::string_view flag, const std::string& path);

}  // namespace api::server

#endif  // API_SERVER_WITNESS_FLAGS_H_
