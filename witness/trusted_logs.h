// The logs a witness cosigns for, from its configuration file: tlog-policy
// `log` lines (ledger/witness_policy/policy.h), one per log key:
//   # comment
//   log <vkey> [<url>]
// The vkey's key name is the log's origin. An origin may have several keys
// (a log-key rotation); a checkpoint is accepted when any of them signed it.
// Other policy lines (witness, group, quorum) are allowed and ignored, so a
// witness can read the same policy file as the logs' clients.
//
// Thread-safety: an immutable value once parsed.
#ifndef WITNESS_TRUSTED_LOGS_H_
#define WITNESS_TRUSTED_LOGS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/note/signed_note.h"

namespace witness {

class TrustedLogs {
 public:
  // Parses the file's text. kInvalidArgument naming the line (as
  // ParsePolicy), or when no log is listed.
  static absl::StatusOr<TrustedLogs> Parse(absl::string_view text);

  // The keys of `origin`, nullptr when the origin is unknown.
  const std::vector<ledger::note::NoteVerifier>* Find(
      absl::string_view origin) const;

  // Every origin, sorted.
  std::vector<std::string> Origins() const;

 private:
  absl::flat_hash_map<std::string, std::vector<ledger::note::NoteVerifier>>
      keys_;
};

}  // namespace witness

#endif  // WITNESS_TRUSTED_LOGS_H_
