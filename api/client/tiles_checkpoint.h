// Fetching a log's latest checkpoint from its C2SP tlog-tiles
// (`<url>/checkpoint`) and verifying it: the one implementation shared by
// the tiles LogReader (api/client/tiles_log_reader.h) and the AI Office
// monitor's follower (office/log_follower.h), so both refuse the same notes
// with the same errors. Thread-safe if `http` is.
#ifndef API_CLIENT_TILES_CHECKPOINT_H_
#define API_CLIENT_TILES_CHECKPOINT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/client/http_getter.h"
#include "api/client/log_verifier.h"
#include "api/client/witness_quorum_check.h"

namespace api::client {

// GETs `<tiles_url>/checkpoint` and returns it verified with `log` and, when
// `policy` is not null, with the policy's witness quorum
// (witness_quorum_check.h). Errors: no checkpoint served (HTTP 404) is
// kUnavailable (a new log may not have published one yet); the fetch's own
// error otherwise; a note that does not verify is kDataLoss "URL: why"; an
// unmet quorum keeps its code (kFailedPrecondition: retrying may succeed)
// with "URL: " prefixed. Trusting the result (consistency with what was
// accepted before) is the caller's job.
absl::StatusOr<VerifiedCheckpoint> FetchTilesCheckpoint(
    HttpGetter& http, absl::string_view tiles_url, const LogVerifier& log,
    const WitnessPolicy* policy);

// GETs `<tiles_url>/log-key-handover/<epoch>` (ledger/FORMAT.md, "Tiles"):
// the handover checkpoint to log key `epoch`, returned verified with
// `previous`, the key it hands over from (the note carries both keys'
// signatures; the caller checks the new key against the log's leaves).
// Errors: none served (HTTP 404) is kNotFound; the fetch's own error
// otherwise; a note `previous` did not sign is kDataLoss "URL: why".
absl::StatusOr<VerifiedCheckpoint> FetchTilesHandover(
    HttpGetter& http, absl::string_view tiles_url, uint64_t epoch,
    const LogVerifier& previous);

}  // namespace api::client

#endif  // API_CLIENT_TILES_CHECKPOINT_H_
