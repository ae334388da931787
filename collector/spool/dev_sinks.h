// Development stand-ins for the ledger, NOT for production. Production
// signs with ledger_record_signer.h and ships with grpc_shipper.h
// (`collector_agent run --ledger_server ... --key ...`); without
// --ledger_server, `run --out_dir` ships with these, and without --key it
// also signs with DevUnsignedSigner (collector/FORMAT.md, "Dev envelope"):
//  - DevUnsignedSigner: envelope = "AIFL-DEV-UNSIGNED v1\n<seq>\n<type>\n" +
//    payload, not signed; the sequence restarts at 1 in each process, which
//    warns once on stderr. Refusal marker = "AIFL-DEV-UNSIGNED v1 refusal
//    marker\n<status>\n" + the refused envelope.
//  - DirectoryShipper: writes each envelope durably to
//    <out_dir>/<hex BLAKE2b-128 of the envelope>.env (idempotent: same bytes,
//    same name); receipt = the file's path.
//  - DirectoryReceiptVerifier: re-reads that file and checks the bytes.
#ifndef COLLECTOR_SPOOL_DEV_SINKS_H_
#define COLLECTOR_SPOOL_DEV_SINKS_H_

#include <string>
#include <vector>

#include "collector/spool/record_signer.h"
#include "collector/spool/shipper.h"

namespace collector {
namespace spool {

class DevUnsignedSigner final : public RecordSigner {
 public:
  absl::StatusOr<std::string> SignNext(absl::string_view payload_type,
                                       absl::string_view payload) override;
  absl::StatusOr<std::string> SignRefusalMarker(
      absl::string_view refused_envelope, const absl::Status& why) override;

 private:
  uint64_t next_ = 1;
};

class DirectoryShipper final : public Shipper {
 public:
  explicit DirectoryShipper(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> Ship(
      absl::Span<const std::string> envelopes) override;

 private:
  std::string dir_;
};

class DirectoryReceiptVerifier final : public ReceiptVerifier {
 public:
  absl::Status Verify(absl::string_view envelope, const Receipt& r) override;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_DEV_SINKS_H_
