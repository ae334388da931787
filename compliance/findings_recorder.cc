#include "compliance/findings_recorder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "rules/payload_types.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<FindingsRecorder>> FindingsRecorder::Create(
    ledger::Ledger* ledger, const std::string& rules_key_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(rules_key_path));
  const std::optional<ledger::KeyInfo> info =
      ledger->FindKey(ledger::crypto::ComputeKeyId(key->public_key()));
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_RULES ||
      info->revoked()) {
    return absl::PermissionDeniedError(absl::StrCat(
        rules_key_path, " is not an enrolled, unrevoked rules key of ",
        ledger->origin()));
  }
  auto signer = std::make_unique<ledger::EntrySigner>(
      std::move(key), ledger->origin(), info->next_sequence);
  return std::unique_ptr<FindingsRecorder>(
      new FindingsRecorder(ledger, std::move(signer)));
}

FindingsRecorder::FindingsRecorder(ledger::Ledger* ledger,
                                   std::unique_ptr<ledger::EntrySigner> signer)
    : ledger_(ledger), signer_(std::move(signer)) {}

absl::StatusOr<uint64_t> FindingsRecorder::Record(
    const std::vector<aifl::rules::v1::Finding>& findings) {
  if (findings.empty()) return uint64_t{0};
  std::vector<std::string> envelopes;
  envelopes.reserve(findings.size());
  for (const aifl::rules::v1::Finding& f : findings) {
    ASSIGN_OR_RETURN(
        std::string envelope,
        signer_->SignNext(rules::kFindingType, f.SerializeAsString()));
    envelopes.push_back(std::move(envelope));
  }
  const std::vector<ledger::AppendResult> appended = ledger_->Append(envelopes);
  for (size_t i = 0; i < appended.size(); ++i) {
    if (appended[i].status.ok()) continue;
    // Nothing after the failure landed: continue from the ledger's count.
    const std::optional<ledger::KeyInfo> info =
        ledger_->FindKey(signer_->key_id());
    if (info.has_value()) signer_->set_next_sequence(info->next_sequence);
    return absl::Status(
        appended[i].status.code(),
        absl::StrCat("appending finding ", i, " of ", appended.size(), ": ",
                     appended[i].status.message()));
  }
  return appended[0].leaf_index;
}

}  // namespace compliance
