#include "api/client/witness_quorum_check.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/note/signed_note.h"
#include "ledger/witness_policy/quorum.h"

namespace api::client {

absl::StatusOr<std::shared_ptr<const WitnessPolicy>> LoadPolicyFile(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, common::ReadWholeFile(path));
  absl::StatusOr<WitnessPolicy> policy =
      ledger::witness_policy::ParsePolicy(text);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy file ", path, ": ", policy.status().message()));
  }
  return std::make_shared<const WitnessPolicy>(*std::move(policy));
}

absl::Status CheckPolicyNamesLog(const WitnessPolicy& policy,
                                 const LogVerifier& log) {
  if (policy.logs.empty()) return absl::OkStatus();
  for (const ledger::witness_policy::PolicyLog& listed : policy.logs) {
    if (listed.verifier.VerifierKey() == log.verifier_key()) {
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the witness policy lists logs, but not this one (", log.verifier_key(),
      "): add its `log` line, or drop every `log` line so the "
      "policy stands for the log key given"));
}

absl::Status CheckWitnessQuorum(const WitnessPolicy& policy,
                                const LogVerifier& log,
                                absl::string_view note) {
  const WitnessPolicy* effective = &policy;
  WitnessPolicy with_log;
  if (policy.logs.empty()) {
    // No `log` line: the key this reader trusts is the policy's one log.
    with_log = policy;
    ASSIGN_OR_RETURN(
        ledger::note::NoteVerifier verifier,
        ledger::note::NoteVerifier::FromVerifierKey(log.verifier_key()));
    with_log.logs.push_back({std::move(verifier), ""});
    effective = &with_log;
  }
  absl::StatusOr<ledger::witness_policy::CheckpointCosignatures> checked =
      ledger::witness_policy::VerifyCheckpointWithPolicy(note, *effective);
  if (checked.ok()) return absl::OkStatus();
  const absl::StatusCode code =
      checked.status().code() == absl::StatusCode::kFailedPrecondition
          ? absl::StatusCode::kFailedPrecondition
          : absl::StatusCode::kDataLoss;
  return absl::Status(
      code, absl::StrCat("witness policy: ", checked.status().message()));
}

}  // namespace api::client
