// C2SP tlog-checkpoint note bodies (c2sp.org/tlog-checkpoint):
//   <origin>\n
//   <tree size, ASCII decimal, no leading zeros>\n
//   <base64 of the 32-byte RFC 6962 root hash>\n
//   [<extension line>\n]...
// The body is the text of a signed note (signed_note.h); this file only
// formats and parses it. Thread-safe (pure functions).
#ifndef LEDGER_NOTE_CHECKPOINT_H_
#define LEDGER_NOTE_CHECKPOINT_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ledger::note {

struct Checkpoint {
  std::string origin;  // Non-empty, no '\n'. Our logs use the key name.
  uint64_t size = 0;   // Number of leaves.
  std::array<uint8_t, 32> root{};       // RFC 6962 Merkle tree hash.
  std::vector<std::string> extensions;  // Each non-empty, no '\n'.

  friend bool operator==(const Checkpoint& a, const Checkpoint& b) {
    return a.origin == b.origin && a.size == b.size && a.root == b.root &&
           a.extensions == b.extensions;
  }
};

// OK if `checkpoint` can be formatted: non-empty origin and extension lines
// without '\n'. kInvalidArgument naming the field otherwise.
absl::Status ValidateCheckpoint(const Checkpoint& checkpoint);

// Returns the checkpoint body. REQUIRES: ValidateCheckpoint(checkpoint).ok().
std::string FormatCheckpointBody(const Checkpoint& checkpoint);

// Parses a checkpoint body strictly. kInvalidArgument, naming the line and
// what was wanted, unless: every line ends in '\n'; there are at least three
// lines and none is empty; the origin is non-empty; the size is ASCII decimal
// without a sign or leading zeros ("0" alone is the empty tree) and fits in
// uint64; the root is canonical padded standard base64 of exactly 32 bytes.
// Lines after the third are returned as extensions.
absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body);

}  // namespace ledger::note

#endif  // LEDGER_NOTE_CHECKPOINT_H_
