// Following a log-key rotation over tlog-tiles (ledger/FORMAT.md, "Tiles"
// and "Following a rotation"): the handover checkpoint comes from
// `<url>/log-key-handover/<E>` (tiles_checkpoint.h, FetchTilesHandover, the
// AI Office follower's fetch too), and the rotation is checked by the one
// client-side check (rotation_verifier.h, VerifyRotation, which the gRPC
// client runs over Audit.GetLogKeys). What tiles do not say — which leaf
// announced the key — is read from the handover's own verified tree: the
// last LogKey event in it, normally its last leaf (a rotation appends the
// LogKey and signs the handover at once).
// Thread-compatible (the reader is not thread-safe).
#ifndef API_CLIENT_TILES_ROTATION_H_
#define API_CLIENT_TILES_ROTATION_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "api/v1/ledger_service.pb.h"

namespace api::client {

// The LogKeyRecord of the rotation that `handover` (a checkpoint `reader`
// trusts) completes, as Audit.GetLogKeys would give it: the last LogKey
// event among leaves [from, handover size) (`from` = 0 when unknown), its
// leaf and its inclusion proof in the handover's tree, the handover note.
// Read through `reader`, so every leaf and hash is verified. Nothing is
// judged here: VerifyRotation checks the record. kDataLoss when no leaf in
// that range is a LogKey event; the reader's errors otherwise.
absl::StatusOr<aifl::api::v1::LogKeyRecord> TilesRotationRecord(
    LogReader& reader, const VerifiedCheckpoint& handover, uint64_t from);

}  // namespace api::client

#endif  // API_CLIENT_TILES_ROTATION_H_
