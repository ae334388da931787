// Records findings in a ledger: each one signed by a rules key as a
// rules::kFindingType entry, appended in order in one group. The one place
// that does so for compliance_check --record and the server's rules runner.
// It does not decide which findings to record (rules::Engine's diff does)
// and does not publish a checkpoint (the caller's publisher does).
//
// Not thread-safe (it owns the key's sequence counter): one recorder per
// rules key and process, its calls serialized by the owner.
#ifndef COMPLIANCE_FINDINGS_RECORDER_H_
#define COMPLIANCE_FINDINGS_RECORDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/entry_target.h"
#include "compliance/signed_appender.h"
#include "ledger/ledger.h"
#include "schema/findings.pb.h"

namespace compliance {

class FindingsRecorder {
 public:
  // Reads the secret key file at `rules_key_path` and checks it is an
  // enrolled, unrevoked ROLE_RULES key of `ledger` (not owned; must outlive
  // the recorder). Errors: the key file's (kNotFound, kInvalidArgument);
  // kPermissionDenied "<path> is not an enrolled, unrevoked rules key of
  // <origin>".
  static absl::StatusOr<std::unique_ptr<FindingsRecorder>> Create(
      ledger::Ledger* ledger, const std::string& rules_key_path);
  // The same for any EntryTarget (not owned), e.g. a server's ingest.
  static absl::StatusOr<std::unique_ptr<FindingsRecorder>> Create(
      EntryTarget* target, const std::string& rules_key_path);

  // Signs `findings` (their serialized bytes) with the next sequence numbers
  // and appends them in order. Returns the leaf index of the first one (0
  // when `findings` is empty: nothing is appended). On an append error
  // nothing after the first failing finding landed; the error keeps the
  // ledger's code ("appending finding i of n: …") and the sequence counter is
  // re-read from the ledger, so the next call continues without a gap.
  absl::StatusOr<uint64_t> Record(
      const std::vector<aifl::rules::v1::Finding>& findings);

  // The signed findings kept from an unanswered append (SignedAppender).
  SignedAppender& appender() { return *appender_; }

 private:
  explicit FindingsRecorder(std::unique_ptr<SignedAppender> appender);

  std::unique_ptr<SignedAppender> appender_;
};

}  // namespace compliance

#endif  // COMPLIANCE_FINDINGS_RECORDER_H_
