#include "compliance/signed_appender.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/roles.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<SignedAppender>> SignedAppender::Create(
    ledger::Ledger* ledger, const std::string& key_path,
    aifl::ledger::v1::Role role) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(key_path));
  const std::optional<ledger::KeyInfo> info =
      ledger->FindKey(ledger::crypto::ComputeKeyId(key->public_key()));
  if (!info.has_value() || info->role != role || info->revoked()) {
    return absl::PermissionDeniedError(
        absl::StrCat(key_path, " is not an enrolled, unrevoked ",
                     ledger::RoleName(role), " key of ", ledger->origin()));
  }
  auto signer = std::make_unique<ledger::EntrySigner>(
      std::move(key), ledger->origin(), info->next_sequence);
  return std::unique_ptr<SignedAppender>(
      new SignedAppender(ledger, std::move(signer)));
}

absl::StatusOr<uint64_t> SignedAppender::Append(
    absl::string_view type, const std::vector<std::string>& payloads,
    absl::string_view what) {
  if (payloads.empty()) return uint64_t{0};
  std::vector<std::string> envelopes;
  envelopes.reserve(payloads.size());
  for (const std::string& p : payloads) {
    ASSIGN_OR_RETURN(std::string envelope, signer_->SignNext(type, p));
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
        absl::StrCat("appending ", what, " ", i, " of ", appended.size(), ": ",
                     appended[i].status.message()));
  }
  return appended[0].leaf_index;
}

}  // namespace compliance
