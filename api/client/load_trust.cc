#include "api/client/load_trust.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace api::client {

absl::StatusOr<std::optional<LoadedTrust>> LoadTrust(
    const TrustedCheckpointStore& store, const LogVerifier& configured) {
  ASSIGN_OR_RETURN(std::optional<TrustedCheckpoint> saved,
                   store.Load(configured.origin()));
  if (!saved.has_value()) return std::nullopt;
  LogVerifier current = configured;
  if (!saved->verifier_key.empty()) {
    absl::StatusOr<LogVerifier> followed =
        LogVerifier::Create(saved->verifier_key);
    if (!followed.ok() || followed->origin() != configured.origin()) {
      return absl::DataLossError(absl::StrCat(
          "trusted checkpoint file ", store.PathFor(configured.origin()),
          " holds an invalid verifier key"));
    }
    current = *std::move(followed);
  }
  absl::StatusOr<VerifiedCheckpoint> checked =
      current.VerifyCheckpoint(saved->note);
  if (!checked.ok() || checked->fields.size != saved->size ||
      checked->fields.root != saved->root) {
    return absl::DataLossError(absl::StrCat(
        "trusted checkpoint file ", store.PathFor(configured.origin()),
        " does not match its signed note", checked.ok() ? "" : ": ",
        checked.status().message()));
  }
  return LoadedTrust{*std::move(checked), std::move(current)};
}

}  // namespace api::client
