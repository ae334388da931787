// C2SP tlog-policy files (c2sp.org/tlog-policy): which logs may sign a
// checkpoint and which witnesses must have cosigned it.
//
//   log <vkey> [<url>]                       # the key name is the origin
//   witness <name> <vkey> [<url>]            # vkey of type 0x04
//   (cosignature.h) group <name> all|any|<k> <member>...     # 1 <= k <= n
//   members quorum <name>|none                       # exactly one
//
// Lines end in '\n' (the last may omit it); items are separated by spaces and
// tabs only; blank lines and lines whose first non-blank is '#' are ignored.
// Allowed octets: tab, newline, 0x20-0x7E and 0x80-0xFF (opaque: names are
// compared as bytes). Witnesses and groups share one namespace; `none` is
// reserved. A group or the quorum may only name witnesses and groups defined
// on earlier lines, and a group lists each member at most once. Two logs, or
// two witnesses, with the same public key are refused. Our logs and
// witnesses use Ed25519 only (log vkeys of type 0x01, witness vkeys of type
// 0x04).
//
// Thread-safety: a Policy is an immutable value once parsed.
#ifndef LEDGER_WITNESS_POLICY_POLICY_H_
#define LEDGER_WITNESS_POLICY_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"

namespace ledger::witness_policy {

// The most logs, witnesses and groups ParsePolicy accepts (the spec asks for
// at least 32 each).
inline constexpr int kMaxPolicyEntries = 256;

struct PolicyLog {
  note::NoteVerifier verifier;  // verifier.name() is the log's origin.
  std::string url;              // "" when absent.
};

struct PolicyWitness {
  std::string name;  // The policy's name for it (not the key name).
  note::CosignatureVerifier verifier;
  std::string url;  // The tlog-witness submission prefix; "" when absent.
};

struct PolicyGroup {
  std::string name;
  int threshold = 0;                 // k: 1 <= k <= members.size().
  std::vector<std::string> members;  // Witness or group names, each once.
};

struct Policy {
  std::vector<PolicyLog> logs;
  std::vector<PolicyWitness> witnesses;
  std::vector<PolicyGroup> groups;  // In file order: members come first.
  std::string quorum;               // A witness or group name, or "none".

  // The witness or group called `name`, nullptr when there is none.
  const PolicyWitness* FindWitness(absl::string_view name) const;
  const PolicyGroup* FindGroup(absl::string_view name) const;
};

// Parses a policy file. kInvalidArgument naming the line and the problem
// ("policy line 7: group G: member W is not defined on an earlier line").
absl::StatusOr<Policy> ParsePolicy(absl::string_view text);

}  // namespace ledger::witness_policy

#endif  // LEDGER_WITNESS_POLICY_POLICY_H_
