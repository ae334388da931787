// Routes the witness's HTTP requests (thin; the logic is in witness.h):
//   POST <prefix>/add-checkpoint          c2sp.org/tlog-witness
//   GET  <prefix>/<hex sha256(origin)>/checkpoint   latest cosigned note
//   GET  <prefix>/evidence                 every split-view evidence record
//   GET  <prefix>/<hex sha256(origin)>/evidence     one origin's records
// 405 for another method on a known path, 404 for any other path.
// Thread-safe as Witness is.
#ifndef WITNESS_WITNESS_HANDLER_H_
#define WITNESS_WITNESS_HANDLER_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "witness/witness.h"

namespace witness {

// `prefix` is "" or starts with '/' and does not end with one, e.g.
// "/witness". HEAD is answered as GET (the server sends no body).
//
// Returns the answer, or std::nullopt for an add-checkpoint request that
// joined `batch` (Witness::AddCheckpoint): Witness::Commit(batch) writes its
// answer to `*answer`. Any other request commits `batch` first, as it may
// read a state that the batch holds locked.
std::optional<WitnessResponse> HandleWitnessRequest(
    Witness* witness, Witness::Batch* batch, WitnessResponse* answer,
    absl::string_view prefix, absl::string_view method, absl::string_view path,
    absl::string_view body);

}  // namespace witness

#endif  // WITNESS_WITNESS_HANDLER_H_
