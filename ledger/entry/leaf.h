// The leaf the ledger appends: the submitter's envelope wrapped with the
// ledger's integration time (when the log learnt the fact). Its bytes are what
// the Merkle tree hashes: leaf hash = SHA-256(0x00 ‖ leaf bytes).
// Format (version 1) in ledger/FORMAT.md. Pure functions; thread-safe.
#ifndef LEDGER_ENTRY_LEAF_H_
#define LEDGER_ENTRY_LEAF_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "ledger/entry/envelope.h"

namespace ledger::entry {

inline constexpr uint8_t kLeafVersion = 1;
inline constexpr size_t kLeafHeaderSize = 1 + 8;
// The longest leaf the ledger appends: a C2SP tlog-tiles entry bundle
// prefixes each leaf with a 16-bit length (ledger/FORMAT.md, "Tiles"). Leaves
// stored before this limit may be longer; they stay valid.
inline constexpr size_t kMaxLeafSize = 65535;

struct Leaf {
  // Microseconds since the Unix epoch, UTC. Never decreases along the log.
  int64_t integration_time_micros = 0;
  std::string envelope;  // the exact envelope bytes as submitted

  absl::Time integration_time() const {
    return absl::FromUnixMicros(integration_time_micros);
  }
};

// Serializes a leaf: version byte, integration time, envelope bytes.
std::string EncodeLeaf(int64_t integration_time_micros,
                       absl::string_view envelope_bytes);

// Parses leaf bytes (the envelope inside is not parsed). kInvalidArgument on an
// unknown version, truncation or a negative time; stored leaves that fail this
// are reported as kDataLoss by the storage layer.
absl::StatusOr<Leaf> ParseLeaf(absl::string_view bytes);

}  // namespace ledger::entry

#endif  // LEDGER_ENTRY_LEAF_H_
