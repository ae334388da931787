#include "witness/trusted_logs.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/witness_policy/policy.h"

namespace witness {

absl::StatusOr<TrustedLogs> TrustedLogs::Parse(absl::string_view text) {
  // The policy parser checks the syntax and every key; a file of log lines
  // only has no quorum line, so "quorum none" is added when there is none.
  absl::StatusOr<ledger::witness_policy::Policy> policy =
      ledger::witness_policy::ParsePolicy(text);
  if (!policy.ok() && policy.status().message().find("no quorum line") !=
                          absl::string_view::npos) {
    std::string with_quorum(text);
    if (!with_quorum.empty() && with_quorum.back() != '\n') {
      with_quorum += '\n';
    }
    policy = ledger::witness_policy::ParsePolicy(with_quorum + "quorum none\n");
  }
  if (!policy.ok()) return policy.status();
  if (policy->logs.empty()) {
    return absl::InvalidArgumentError(
        "trusted logs: no \"log <vkey>\" line; the witness would cosign "
        "nothing");
  }
  TrustedLogs logs;
  for (const ledger::witness_policy::PolicyLog& log : policy->logs) {
    logs.keys_[log.verifier.name()].push_back(log.verifier);
  }
  return logs;
}

const std::vector<ledger::note::NoteVerifier>* TrustedLogs::Find(
    absl::string_view origin) const {
  auto it = keys_.find(origin);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::string> TrustedLogs::Origins() const {
  std::vector<std::string> out;
  for (const auto& [origin, keys] : keys_) out.push_back(origin);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace witness
