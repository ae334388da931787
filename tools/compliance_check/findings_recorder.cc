#include "tools/compliance_check/findings_recorder.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry_signer.h"
#include "rules/engine.h"

namespace compliance_check {

namespace v1 = aifl::rules::v1;

absl::StatusOr<RecordResult> RecordFindings(
    ledger::Ledger& ledger, const rules::RulePack& pack,
    const std::vector<rules::LedgerEntry>& entries,
    const std::string& rules_key_path, absl::Time now,
    const std::string& model) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(rules_key_path));
  const std::optional<ledger::KeyInfo> info =
      ledger.FindKey(ledger::crypto::ComputeKeyId(key->public_key()));
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_RULES ||
      info->revoked()) {
    return absl::PermissionDeniedError(absl::StrCat(
        rules_key_path, " is not an enrolled, unrevoked rules key of ",
        ledger.origin()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<rules::Engine> engine,
                   rules::Engine::Create(pack));
  for (const rules::LedgerEntry& e : entries) {
    // Entries the engine refuses (findings under other roles, payloads that
    // do not parse) change nothing; the report shows the same view.
    engine->Ingest(e).IgnoreError();
  }
  RecordResult result;
  std::vector<std::string> envelopes;
  ledger::EntrySigner signer(std::move(key), ledger.origin(),
                             info->next_sequence);
  for (v1::Finding& f : engine->EvaluateAll(now)) {
    if (!model.empty() && f.model_id() != model) continue;
    ASSIGN_OR_RETURN(std::string envelope,
                     signer.SignNext(kFindingType, f.SerializeAsString()));
    envelopes.push_back(std::move(envelope));
    result.appended.push_back(std::move(f));
  }
  if (envelopes.empty()) return result;
  std::vector<ledger::AppendResult> appended = ledger.Append(envelopes);
  for (size_t i = 0; i < appended.size(); ++i) {
    if (!appended[i].status.ok()) {
      return absl::Status(
          appended[i].status.code(),
          absl::StrCat("appending finding ", i, " of ", appended.size(), ": ",
                       appended[i].status.message()));
    }
  }
  result.first_leaf = appended[0].leaf_index;
  RETURN_IF_ERROR(ledger.PublishCheckpoint().status());
  return result;
}

}  // namespace compliance_check
