#include "ledger/witness_policy/quorum.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "ledger/note/signed_note.h"

namespace ledger::witness_policy {
namespace {

// Whether `name` (a witness or group) witnessed, given the cosigners.
// Groups only name earlier definitions (policy.h), so this terminates.
bool Witnessed(const Policy& policy, absl::string_view name,
               const absl::flat_hash_set<std::string>& cosigned) {
  if (policy.FindWitness(name) != nullptr) {
    return cosigned.contains(std::string(name));
  }
  const PolicyGroup* group = policy.FindGroup(name);
  if (group == nullptr) return false;
  int count = 0;
  for (const std::string& member : group->members) {
    count += Witnessed(policy, member, cosigned) ? 1 : 0;
  }
  return count >= group->threshold;
}

void CollectWitnesses(const Policy& policy, absl::string_view name,
                      absl::flat_hash_set<std::string>* out) {
  if (policy.FindWitness(name) != nullptr) {
    out->insert(std::string(name));
    return;
  }
  if (const PolicyGroup* group = policy.FindGroup(name)) {
    for (const std::string& member : group->members) {
      CollectWitnesses(policy, member, out);
    }
  }
}

}  // namespace

bool QuorumSatisfied(const Policy& policy,
                     const absl::flat_hash_set<std::string>& cosigned) {
  return policy.quorum == "none" || Witnessed(policy, policy.quorum, cosigned);
}

std::vector<std::string> MissingWitnesses(
    const Policy& policy, const absl::flat_hash_set<std::string>& cosigned) {
  absl::flat_hash_set<std::string> under_quorum;
  if (policy.quorum != "none") {
    CollectWitnesses(policy, policy.quorum, &under_quorum);
  }
  std::vector<std::string> missing;
  for (const PolicyWitness& w : policy.witnesses) {
    if (under_quorum.contains(w.name) && !cosigned.contains(w.name)) {
      missing.push_back(w.name);
    }
  }
  return missing;
}

absl::StatusOr<CheckpointCosignatures> CheckCosignatures(
    absl::string_view note_text, const Policy& policy) {
  std::vector<note::NoteVerifier> logs;
  for (const PolicyLog& log : policy.logs) logs.push_back(log.verifier);
  if (logs.empty()) {
    return absl::UnauthenticatedError(
        "policy lists no log: no checkpoint can be accepted");
  }
  ASSIGN_OR_RETURN(note::VerifiedNote opened, note::OpenNote(note_text, logs));
  CheckpointCosignatures result;
  ASSIGN_OR_RETURN(result.checkpoint, note::ParseCheckpointBody(opened.text));
  result.body = opened.text;
  result.log = opened.verified.front().name;
  if (result.checkpoint.origin != result.log) {
    return absl::UnauthenticatedError(absl::StrCat(
        "checkpoint origin \"", result.checkpoint.origin,
        "\" is not the name of the log key that signed it (", result.log, ")"));
  }
  ASSIGN_OR_RETURN(note::SplitNote split, note::SplitSignedNote(note_text));
  absl::flat_hash_set<std::string> cosigners;
  for (const note::SignatureLine& line : split.signatures) {
    for (const PolicyWitness& w : policy.witnesses) {
      if (w.verifier.name() != line.name ||
          w.verifier.key_id() != line.key_id || cosigners.contains(w.name)) {
        continue;
      }
      absl::StatusOr<uint64_t> ts =
          w.verifier.Verify(split.text, line.signature);
      if (ts.ok()) {
        cosigners.insert(w.name);
        result.cosigned.push_back({w.name, *ts});
      } else {
        result.invalid.push_back(w.name);
      }
    }
  }
  result.quorum_met = QuorumSatisfied(policy, cosigners);
  if (!result.quorum_met) result.missing = MissingWitnesses(policy, cosigners);
  return result;
}

absl::StatusOr<CheckpointCosignatures> VerifyCheckpointWithPolicy(
    absl::string_view note_text, const Policy& policy) {
  ASSIGN_OR_RETURN(CheckpointCosignatures result,
                   CheckCosignatures(note_text, policy));
  if (result.quorum_met) return result;
  std::vector<std::string> cosigned;
  for (const Cosigned& c : result.cosigned) cosigned.push_back(c.witness);
  std::string message = absl::StrCat(
      "checkpoint ", result.checkpoint.size, " of ", result.checkpoint.origin,
      ": quorum ", policy.quorum, " not met; cosigned by: ",
      cosigned.empty() ? "nobody" : absl::StrJoin(cosigned, ", "),
      "; missing: ", absl::StrJoin(result.missing, ", "));
  if (!result.invalid.empty()) {
    absl::StrAppend(&message, "; invalid cosignatures from: ",
                    absl::StrJoin(result.invalid, ", "));
  }
  return absl::FailedPreconditionError(message);
}

}  // namespace ledger::witness_policy
