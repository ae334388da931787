// The index's output log (index/FORMAT.md, "Output log"): each index update
// is one leaf of a second ledger, with its own origin and log key, served,
// checkpointed and witnessed like any of our logs. The leaf's payload
// (`aifl.rules.v1.IndexUpdate`, signed by a rules key enrolled in that
// ledger) says: MapFn version, input log origin, input checkpoint (size,
// root), map root and key count.
//
// OutputLog is not thread-safe (it owns the signer's sequence counter); the
// encoding functions are pure.
#ifndef INDEX_OUTPUT_LOG_H_
#define INDEX_OUTPUT_LOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/index_builder.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"

namespace vindex {

inline constexpr char kIndexUpdateType[] = "aifl.rules.v1.IndexUpdate";
inline constexpr uint8_t kIndexUpdateFormat = 1;

struct IndexUpdate {
  std::string input_origin;
  IndexState state;

  bool operator==(const IndexUpdate& o) const;
};

// The payload bytes of `update`. REQUIRES: input_origin under 64 KiB.
std::string EncodeIndexUpdate(const IndexUpdate& update);

// Parses EncodeIndexUpdate's bytes; kInvalidArgument saying what is wrong.
absl::StatusOr<IndexUpdate> DecodeIndexUpdate(absl::string_view payload);

// The update an output-log leaf carries; nullopt for the output log's own
// key events (its genesis, enrolments). kDataLoss (naming leaf `index`) when
// the leaf does not parse or is of another type.
absl::StatusOr<std::optional<IndexUpdate>> IndexUpdateOfLeaf(
    uint64_t index, absl::string_view leaf_bytes);

class OutputLog {
 public:
  // `ledger` (not owned; outlives this) is the output log; `signer`'s key
  // must be an enrolled, unrevoked rules key of it (else kPermissionDenied).
  // The signer's sequence is set from the ledger's registry.
  static absl::StatusOr<std::unique_ptr<OutputLog>> Create(
      ledger::Ledger* ledger, std::unique_ptr<ledger::EntrySigner> signer);

  // The update in the output log's last leaf; nullopt when it holds none
  // (only its genesis and key events).
  absl::StatusOr<std::optional<IndexUpdate>> Last() const;

  // Appends `update` unless the last leaf already says the same (so a
  // restart after a crash between the index's write and this append
  // catches up, and a repeat is harmless), then publishes a checkpoint.
  // Returns true when it appended. The ledger's errors otherwise.
  absl::StatusOr<bool> Publish(const IndexUpdate& update);

 private:
  OutputLog(ledger::Ledger* ledger, std::unique_ptr<ledger::EntrySigner> s)
      : ledger_(ledger), signer_(std::move(s)) {}

  ledger::Ledger* const ledger_;
  std::unique_ptr<ledger::EntrySigner> signer_;
};

}  // namespace vindex

#endif  // INDEX_OUTPUT_LOG_H_
