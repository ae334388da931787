// GrpcLedgerShipper: the collector's Shipper and ReceiptVerifier over the
// ledger's gRPC API (api/client/ledger_client.h). Ship() submits a batch with
// Ingest.Submit and returns each envelope's DurableReceipt (serialized) as
// the spool's opaque Receipt. Verify() accepts a receipt only when the
// envelope is proven included in a checkpoint the client trusts
// (LedgerClient::ConfirmIncluded: signed checkpoint, consistency with the
// last trusted one, inclusion proof of the leaf rebuilt locally). To keep
// one proof call per batch, the first Verify() of a batch confirms every
// envelope shipped and not yet confirmed.
// With a witness policy on the client (LedgerClientOptions::witness_policy,
// collector_agent --policy), the proof receipt's checkpoint must carry the
// policy's quorum of cosignatures too: until then Verify() fails with
// "N record(s) not yet durably logged, kept in the spool: witness policy:
// ... missing: <witnesses>", and the spool retries.
//
// Thread-compatible (the spool calls it from one thread). The client is not
// owned and must outlive this object.
#ifndef COLLECTOR_SPOOL_GRPC_SHIPPER_H_
#define COLLECTOR_SPOOL_GRPC_SHIPPER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "api/client/ledger_client.h"
#include "collector/spool/shipper.h"

namespace collector {
namespace spool {

class GrpcLedgerShipper final : public Shipper, public ReceiptVerifier {
 public:
  explicit GrpcLedgerShipper(api::client::LedgerClient* client)
      : client_(client) {}

  // Whole-batch errors are the client's (kUnavailable, kDeadlineExceeded,
  // ...); per-envelope errors are the server's codes (api/README.md).
  absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> Ship(
      absl::Span<const std::string> envelopes) override;

  // OK once `envelope` is proven included (see above). kDataLoss for a
  // receipt that does not parse or a proof that fails; other codes from the
  // client (the spool keeps the envelope and retries).
  absl::Status Verify(absl::string_view envelope,
                      const Receipt& receipt) override;

 private:
  api::client::LedgerClient* const client_;
  std::vector<api::client::SubmittedEntry> unconfirmed_;
  std::map<uint64_t, std::string> confirmed_;  // leaf index -> envelope proven
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_GRPC_SHIPPER_H_
