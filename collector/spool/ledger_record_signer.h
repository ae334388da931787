// The collector's real RecordSigner: signs spooled records into ledger
// envelopes (ledger/FORMAT.md) with the node's enrolled collector key.
//
// Sequence numbers must be contiguous per key at the ledger, so the counter
// is never persisted ahead of what is durable. After a restart the next
// number is one past the highest of
//   * the sealed envelopes still in the spool (fsynced before any send),
//   * the high-water file written by Delivered() before the spool deletes
//     delivered envelopes,
//   * the ledger's own next_sequence for the key, when the caller knows it.
// An envelope signed but lost before its fsync never left the node, so its
// number is signed again: no gap, and no number reused for bytes the ledger
// could have seen. Not thread-safe (the spool calls it from one thread).
#ifndef COLLECTOR_SPOOL_LEDGER_RECORD_SIGNER_H_
#define COLLECTOR_SPOOL_LEDGER_RECORD_SIGNER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "collector/spool/record_signer.h"
#include "collector/spool/spool.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry_signer.h"

namespace collector {
namespace spool {

class LedgerRecordSigner final : public RecordSigner {
 public:
  // `high_water_path` is a small file owned by this signer (e.g.
  // <spool>/next_sequence). `ledger_next_sequence` is the ledger's count for
  // the key when known (e.g. from ListKeys), else nullopt. kDataLoss when a
  // sealed envelope in the spool is not one of this key's envelopes.
  static absl::StatusOr<std::unique_ptr<LedgerRecordSigner>> Create(
      std::unique_ptr<ledger::crypto::SigningKey> key, std::string origin,
      const Spool& spool, std::string high_water_path,
      std::optional<uint64_t> ledger_next_sequence);

  absl::StatusOr<std::string> SignNext(absl::string_view payload_type,
                                       absl::string_view payload) override;
  absl::StatusOr<std::string> SignRefusalMarker(
      absl::string_view refused_envelope, const absl::Status& why) override;
  absl::Status Delivered(absl::Span<const std::string> envelopes) override;

  uint64_t next_sequence() const { return signer_.next_sequence(); }

 private:
  LedgerRecordSigner(std::unique_ptr<ledger::crypto::SigningKey> key,
                     std::string origin, uint64_t next,
                     std::string high_water_path, uint64_t high_water);

  ledger::EntrySigner signer_;
  std::string high_water_path_;
  uint64_t high_water_;  // persisted: sequences below it are used
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_LEDGER_RECORD_SIGNER_H_
