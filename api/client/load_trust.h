// Loading a client's trusted checkpoint back from its store: the one check
// every verifying client (gRPC, tiles) makes before it trusts a file.
#ifndef API_CLIENT_LOAD_TRUST_H_
#define API_CLIENT_LOAD_TRUST_H_

#include <optional>

#include "absl/status/statusor.h"
#include "api/client/log_verifier.h"
#include "api/client/trusted_checkpoint_store.h"

namespace api::client {

struct LoadedTrust {
  VerifiedCheckpoint checkpoint;
  // The key trusted now: the one saved beside the checkpoint (reached by
  // verified rotations from the configured key), else the configured one.
  LogVerifier verifier;
};

// The trusted checkpoint of `configured`'s origin in `store`, its note
// re-verified; std::nullopt when none was saved. kDataLoss naming the file
// when the saved key is invalid or of another origin, or the note does not
// verify or disagrees with the saved size and root; the store's errors.
absl::StatusOr<std::optional<LoadedTrust>> LoadTrust(
    const TrustedCheckpointStore& store, const LogVerifier& configured);

}  // namespace api::client

#endif  // API_CLIENT_LOAD_TRUST_H_
