// The body of a C2SP tlog-witness add-checkpoint request
// (c2sp.org/tlog-witness), parsed strictly. Every line ends in '\n':
//   old <size, ASCII decimal, no leading zeros>
//   <0 to 63 lines: base64 of one 32-byte hash each (consistency proof)>
//   <empty line>
//   <the signed checkpoint note, taken as is>
// Thread-safe (pure function).
#ifndef LEDGER_WITNESSING_ADD_CHECKPOINT_REQUEST_H_
#define LEDGER_WITNESSING_ADD_CHECKPOINT_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"

namespace ledger::witnessing {

inline constexpr int kMaxProofLines = 63;

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<ledger::merkle::Hash> proof;
  std::string note;  // The signed checkpoint, not yet checked.
};

// kInvalidArgument naming the line and what was wanted: no "old " line, a
// size that is not canonical decimal or does not fit in 64 bits, a proof line
// that is not canonical base64 of 32 bytes, more than 63 proof lines, no
// empty line before the checkpoint, or an empty checkpoint.
absl::StatusOr<AddCheckpointRequest> ParseAddCheckpointRequest(
    absl::string_view body);

// Formats a request body (the log side and tests). Inverse of the parser.
std::string FormatAddCheckpointRequest(
    uint64_t old_size, const std::vector<ledger::merkle::Hash>& proof,
    absl::string_view note);

}  // namespace ledger::witnessing

#endif  // LEDGER_WITNESSING_ADD_CHECKPOINT_REQUEST_H_
