// Fakes of the spool's interfaces, for tests in any package.
//  - FakeSigner: envelope = "<seq>|<type>|<payload>"; sequence from 1 (or a
//    given start). Can be told to fail.
//  - FakeShipper: a ledger that stores envelopes by value (idempotent), can
//    be taken down (kUnavailable), can refuse a whole call (call_error, e.g.
//    a certificate it does not accept) or every envelope (envelope_error,
//    e.g. a key it does not know), and can refuse envelopes containing a
//    marker; receipt = "ok:" + envelope.
//  - FakeReceiptVerifier: accepts receipt == "ok:" + envelope.
#ifndef COLLECTOR_SPOOL_TESTONLY_FAKES_H_
#define COLLECTOR_SPOOL_TESTONLY_FAKES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/spool/record_signer.h"
#include "collector/spool/shipper.h"

namespace collector {
namespace spool {

class FakeSigner final : public RecordSigner {
 public:
  explicit FakeSigner(uint64_t first_sequence = 1) : next_(first_sequence) {}
  absl::StatusOr<std::string> SignNext(absl::string_view type,
                                       absl::string_view payload) override {
    if (fail) return absl::UnavailableError("fake signer down");
    return absl::StrCat(next_++, "|", type, "|", payload);
  }
  // Keeps the refused envelope's sequence (its text before the first '|').
  absl::StatusOr<std::string> SignRefusalMarker(
      absl::string_view refused, const absl::Status& why) override {
    return absl::StrCat(refused.substr(0, refused.find('|')),
                        "|aifl.collector.v1.RecordRefused|", why.message());
  }
  absl::Status Delivered(absl::Span<const std::string> envelopes) override {
    delivered += envelopes.size();
    return absl::OkStatus();
  }
  size_t delivered = 0;
  bool fail = false;

 private:
  uint64_t next_;
};

class FakeShipper final : public Shipper {
 public:
  absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> Ship(
      absl::Span<const std::string> envelopes) override {
    ++calls;
    if (down) return absl::UnavailableError("fake ledger down");
    if (!call_error.ok()) return call_error;
    std::vector<absl::StatusOr<Receipt>> out;
    for (const std::string& e : envelopes) {
      if (!envelope_error.ok()) {
        out.push_back(envelope_error);
        continue;
      }
      const bool is_marker = absl::StrContains(e, "RecordRefused");
      if (!refuse_marker.empty() && absl::StrContains(e, refuse_marker) &&
          (!is_marker || refuse_markers_too)) {
        out.push_back(
            absl::Status(refuse_code, absl::StrCat("refused ", refuse_marker)));
        continue;
      }
      if (!gap_marker.empty() && absl::StrContains(e, gap_marker)) {
        gap_marker.clear();
        out.push_back(absl::FailedPreconditionError("sequence gap"));
        continue;
      }
      ++received[e];
      out.push_back(Receipt{absl::StrCat("ok:", e)});
    }
    return out;
  }
  bool down = false;
  absl::Status call_error;      // the whole call fails with it when not OK
  absl::Status envelope_error;  // every envelope fails with it when not OK
  std::string refuse_marker;    // envelopes containing it are refused…
  absl::StatusCode refuse_code = absl::StatusCode::kInvalidArgument;  // …so
  bool refuse_markers_too = false;  // and refusal markers containing it
  std::string gap_marker;           // refused once as a sequence gap
  int calls = 0;
  std::map<std::string, int> received;  // envelope -> times received
};

class FakeReceiptVerifier final : public ReceiptVerifier {
 public:
  absl::Status Verify(absl::string_view envelope, const Receipt& r) override {
    if (r.bytes != absl::StrCat("ok:", envelope)) {
      return absl::DataLossError("receipt is not about this envelope");
    }
    return absl::OkStatus();
  }
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_TESTONLY_FAKES_H_
