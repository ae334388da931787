// Stand-ins used by `collector_agent run --out_dir` until the ledger's
// envelope signer and gRPC shipper exist. NOT for production:
//  - DevUnsignedSigner: envelope = "AIFL-DEV-UNSIGNED v1\n<seq>\n<type>\n" +
//    payload. Sequence restarts at 1 on each start. Prints a warning once.
//  - DirectoryShipper: writes each envelope durably to <out_dir>/<sha-like
//    name>.env (idempotent: same bytes, same name); receipt = the file name.
//  - DirectoryReceiptVerifier: re-reads the file and checks the bytes.
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
