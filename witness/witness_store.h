// The witness's durable state in RocksDB (format: witness/FORMAT.md):
//   family "state":    origin -> latest cosigned (size, root, checkpoint note)
//   family "evidence": SHA-256(origin) || SHA-256(note) -> evidence record
// Every write is synced (WriteOptions::sync): when PutState returns OK the
// new state survives a crash or power loss, which is what lets the witness
// answer only after persisting.
//
// Thread-safe (RocksDB is). The witness serialises writers per origin.
#ifndef WITNESS_WITNESS_STORE_H_
#define WITNESS_WITNESS_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace witness {

struct OriginState {
  uint64_t size = 0;
  ledger::merkle::Hash root{};
  // The checkpoint as cosigned: body, empty line, the log's verified
  // signature lines and this witness's cosignature line.
  std::string note;
};

// A validly signed checkpoint the witness refused: evidence that the log
// showed someone a view inconsistent with what the witness cosigned.
struct Evidence {
  std::string origin;
  int64_t time = 0;     // Unix seconds when first received.
  std::string reason;   // One line, e.g. "size 7: root differs from ...".
  std::string request;  // The add-checkpoint body as received.
};

// The evidence record's bytes (FORMAT.md), and back.
std::string FormatEvidence(const Evidence& e);
absl::StatusOr<Evidence> ParseEvidence(absl::string_view bytes);

class WitnessStore {
 public:
  // Opens the database in `dir`, creating it when absent. kUnavailable when
  // another process holds it; kDataLoss for a corrupt database.
  static absl::StatusOr<std::unique_ptr<WitnessStore>> Open(
      const std::string& dir);
  ~WitnessStore();

  // The state of `origin`, std::nullopt when it was never cosigned.
  // kDataLoss for a malformed stored value.
  absl::StatusOr<std::optional<OriginState>> GetState(
      absl::string_view origin) const;

  // Stores the state of `origin`, synced.
  absl::Status PutState(absl::string_view origin, const OriginState& state);

  // Stores the states of several origins in one synced write (all or none):
  // one WAL record and one sync for a round of requests.
  absl::Status PutStates(
      const std::vector<std::pair<absl::string_view, const OriginState*>>&
          states);

  // Stores `evidence` keyed by its origin and note, synced. A record for the
  // same origin and note is kept as first stored (a retried request adds
  // nothing). `note` is the checkpoint as submitted.
  absl::Status AddEvidence(const Evidence& evidence, absl::string_view note);

  // Evidence records of `origin` ("" for every origin), oldest first.
  absl::StatusOr<std::vector<Evidence>> ListEvidence(
      absl::string_view origin) const;

 private:
  WitnessStore() = default;

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* state_ = nullptr;     // Owned by db_.
  rocksdb::ColumnFamilyHandle* evidence_ = nullptr;  // Owned by db_.
  rocksdb::ColumnFamilyHandle* default_ = nullptr;   // Owned by db_.
};

}  // namespace witness

#endif  // WITNESS_WITNESS_STORE_H_
