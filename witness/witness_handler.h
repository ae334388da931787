// Routes the witness's HTTP requests (thin; the logic is in witness.h):
//   POST <prefix>/add-checkpoint          c2sp.org/tlog-witness
//   GET  <prefix>/<hex sha256(origin)>/checkpoint   latest cosigned note
//   GET  <prefix>/evidence                 every split-view evidence record
//   GET  <prefix>/<hex sha256(origin)>/evidence     one origin's records
// 405 for another method on a known path, 404 for any other path.
// Thread-safe as Witness is.
#ifndef WITNESS_WITNESS_HANDLER_H_
#define WITNESS_WITNESS_HANDLER_H_

#include "absl/strings/string_view.h"
#include "witness/witness.h"

namespace witness {

// `prefix` is "" or starts with '/' and does not end with one, e.g.
// "/witness". HEAD is answered as GET (the server sends no body).
WitnessResponse HandleWitnessRequest(Witness* witness, absl::string_view prefix,
                                     absl::string_view method,
                                     absl::string_view path,
                                     absl::string_view body);

}  // namespace witness

#endif  // WITNESS_WITNESS_HANDLER_H_
