// Signs payloads with one enrolled key of one role and appends them to a
// ledger in order, keeping the key's sequence in step after a failed append.
// The part FindingsRecorder (rules key) and OfficeRecorder (the AI Office's
// office key) share. The ledger is an EntryTarget (entry_target.h): one this
// process holds, or a ledger_server's ingest. Not thread-safe: one per key
// and process.
//
// Exactly once over an unreliable transport: envelopes whose append got no
// answer (the target's error, e.g. the server unreachable) are kept, signed,
// and sent again as the same bytes before anything else (the next Append or
// Flush); the ledger answers one that had landed with its original receipt.
// An envelope the ledger refused is dropped with the ones after it, and the
// sequence is re-read from the target.
#ifndef COMPLIANCE_SIGNED_APPENDER_H_
#define COMPLIANCE_SIGNED_APPENDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compliance/entry_target.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"

namespace compliance {

class SignedAppender {
 public:
  // Reads the secret key at `key_path` and checks it is an enrolled,
  // unrevoked key of `role` in `target` (not owned). kPermissionDenied
  // "<path> is not an enrolled, unrevoked <role name> key of <origin>"; the
  // target's error when it cannot be asked.
  static absl::StatusOr<std::unique_ptr<SignedAppender>> Create(
      EntryTarget* target, const std::string& key_path,
      aifl::ledger::v1::Role role);
  // The same over a ledger this process holds (not owned).
  static absl::StatusOr<std::unique_ptr<SignedAppender>> Create(
      ledger::Ledger* ledger, const std::string& key_path,
      aifl::ledger::v1::Role role);

  // Signs each payload as `type` with the next sequence numbers and appends
  // them in one group, after any envelopes kept from an unanswered append.
  // Returns the first leaf index of these payloads (0 when empty and
  // nothing was kept). Errors: "appending <what> i of n: …" with the
  // ledger's code for a refusal (nothing after it landed; the sequence is
  // re-read); the target's error when unanswered (every envelope kept).
  absl::StatusOr<uint64_t> Append(absl::string_view type,
                                  const std::vector<std::string>& payloads,
                                  absl::string_view what);

  // Sends the envelopes kept from an unanswered append; OK when none is
  // left. Errors as Append.
  absl::Status Flush();

  // Envelopes signed and not yet acknowledged (kept to send again).
  size_t pending() const { return pending_.size(); }

  // The leaf index after the last envelope acknowledged (0 before any).
  uint64_t appended_up_to() const { return appended_up_to_; }

 private:
  SignedAppender(EntryTarget* target,
                 std::unique_ptr<ledger::EntrySigner> signer)
      : target_(target), signer_(std::move(signer)) {}

  // Sends pending_; returns the leaf index of pending_[first_of_interest].
  absl::StatusOr<uint64_t> Send(size_t first_of_interest,
                                absl::string_view what);

  std::unique_ptr<EntryTarget> owned_target_;  // the Ledger* form's
  EntryTarget* const target_;
  std::unique_ptr<ledger::EntrySigner> signer_;
  std::vector<std::string> pending_;
  uint64_t appended_up_to_ = 0;
};

}  // namespace compliance

#endif  // COMPLIANCE_SIGNED_APPENDER_H_
