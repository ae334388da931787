#include "api/client/tiles_checkpoint.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/tiles/tile_path.h"

namespace api::client {
namespace {

// A checkpoint note is a few lines plus one signature line per signer; a
// megabyte bounds what a hostile server can make a client buffer.
constexpr size_t kMaxCheckpointBytes = 1 << 20;

}  // namespace

absl::StatusOr<VerifiedCheckpoint> FetchTilesCheckpoint(
    HttpGetter& http, absl::string_view tiles_url, const LogVerifier& log,
    const WitnessPolicy* policy) {
  const std::string url = absl::StrCat(tiles_url, "/checkpoint");
  absl::StatusOr<std::string> note = http.Get(url, kMaxCheckpointBytes);
  if (absl::IsNotFound(note.status())) {
    return absl::UnavailableError(note.status().message());
  }
  RETURN_IF_ERROR(note.status());
  absl::StatusOr<VerifiedCheckpoint> checkpoint = log.VerifyCheckpoint(*note);
  if (!checkpoint.ok()) {
    return absl::DataLossError(
        absl::StrCat(url, ": ", checkpoint.status().message()));
  }
  if (policy != nullptr) {
    absl::Status witnessed = CheckWitnessQuorum(*policy, log, checkpoint->note);
    if (!witnessed.ok()) {
      return absl::Status(witnessed.code(),
                          absl::StrCat(url, ": ", witnessed.message()));
    }
  }
  return checkpoint;
}

absl::StatusOr<VerifiedCheckpoint> FetchTilesHandover(
    HttpGetter& http, absl::string_view tiles_url, uint64_t epoch,
    const LogVerifier& previous) {
  const std::string url =
      absl::StrCat(tiles_url, "/", ledger::tiles::HandoverPath(epoch));
  ASSIGN_OR_RETURN(std::string note, http.Get(url, kMaxCheckpointBytes));
  absl::StatusOr<VerifiedCheckpoint> checkpoint =
      previous.VerifyCheckpoint(note);
  if (!checkpoint.ok()) {
    return absl::DataLossError(
        absl::StrCat(url, ": ", checkpoint.status().message()));
  }
  return checkpoint;
}

}  // namespace api::client
