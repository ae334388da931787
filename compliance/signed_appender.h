// Signs payloads with one enrolled key of one role and appends them to a
// ledger in order, keeping the key's sequence in step after a failed append.
// The part FindingsRecorder (rules key) and OfficeRecorder (the AI Office's
// office key) share. Not thread-safe: one per key and process.
#ifndef COMPLIANCE_SIGNED_APPENDER_H_
#define COMPLIANCE_SIGNED_APPENDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"

namespace compliance {

class SignedAppender {
 public:
  // Reads the secret key at `key_path` and checks it is an enrolled,
  // unrevoked key of `role` in `ledger` (not owned). kPermissionDenied
  // "<path> is not an enrolled, unrevoked <role name> key of <origin>".
  static absl::StatusOr<std::unique_ptr<SignedAppender>> Create(
      ledger::Ledger* ledger, const std::string& key_path,
      aifl::ledger::v1::Role role);

  // Signs each payload as `type` with the next sequence numbers and appends
  // them in one group. Returns the first leaf index (0 when empty). On an
  // error nothing after the first failure landed: "appending <what> i of n:
  // …" with the ledger's code; the sequence is re-read from the ledger.
  absl::StatusOr<uint64_t> Append(absl::string_view type,
                                  const std::vector<std::string>& payloads,
                                  absl::string_view what);

 private:
  SignedAppender(ledger::Ledger* ledger,
                 std::unique_ptr<ledger::EntrySigner> signer)
      : ledger_(ledger), signer_(std::move(signer)) {}

  ledger::Ledger* const ledger_;
  std::unique_ptr<ledger::EntrySigner> signer_;
};

}  // namespace compliance

#endif  // COMPLIANCE_SIGNED_APPENDER_H_
