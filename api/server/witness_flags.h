// ledger_server's witnessing flags (--witness_policy, --witness_timeout,
// --witness_backoff_min/max, --wait_for_quorum); documented in
// docs/operator-guide.md, section 11. Link only into the binary.
#ifndef API_SERVER_WITNESS_FLAGS_H_
#define API_SERVER_WITNESS_FLAGS_H_

#include "absl/status/status.h"
#include "api/server/ledger_server.h"

namespace api::server {

// Sets options->witness_policy (read and parsed from --witness_policy, none
// when empty), witness_options and wait_for_quorum. Call after
// absl::ParseCommandLine. kInvalidArgument naming the flag for an unreadable
// or malformed policy or bad durations.
absl::Status WitnessOptionsFromFlags(ServerOptions* options);

}  // namespace api::server

#endif  // API_SERVER_WITNESS_FLAGS_H_
