// The log's side of c2sp.org/tlog-witness: what a witness's answer to
// add-checkpoint means, and adding the cosignatures it returned to the
// checkpoint. Pure functions; thread-safe.
#ifndef LEDGER_WITNESSING_ADD_CHECKPOINT_RESPONSE_H_
#define LEDGER_WITNESSING_ADD_CHECKPOINT_RESPONSE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/note/cosignature.h"

namespace ledger::witnessing {

struct AddCheckpointOutcome {
  enum class Kind {
    kCosigned,  // 200: `cosignature` holds the verified line.
    kConflict,  // 409 with a size: retry from `witness_size`.
    kRefused,   // Any other answer: `message` says what it said.
  };
  Kind kind = Kind::kRefused;
  std::string cosignature;    // One "— name base64\n" line (kCosigned).
  uint64_t timestamp = 0;     // Of that cosignature.
  uint64_t witness_size = 0;  // kConflict.
  std::string message;        // kRefused: "HTTP 422: <body's first line>".
};

// Interprets an answer to an add-checkpoint request for checkpoint `body`
// (the note text without signatures) from the witness whose key is
// `witness`. A 200 must carry at least one line by that key that verifies
// (lines by other keys are ignored, as the spec requires): otherwise
// kUnauthenticated. A 409 whose body is not "<decimal>\n" with Content-Type
// text/x.tlog.size is a same-size conflict (a different root: kRefused).
absl::StatusOr<AddCheckpointOutcome> InterpretAddCheckpointResponse(
    int status, absl::string_view content_type, absl::string_view response,
    absl::string_view body, const ledger::note::CosignatureVerifier& witness);

// Returns `note` with the cosignature `lines` appended after its signature
// lines, skipping lines it already holds.
std::string AddCosignatures(absl::string_view note,
                            const std::vector<std::string>& lines);

}  // namespace ledger::witnessing

#endif  // LEDGER_WITNESSING_ADD_CHECKPOINT_RESPONSE_H_
