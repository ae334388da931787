#include "compliance/signed_appender.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/roles.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<SignedAppender>> SignedAppender::Create(
    EntryTarget* target, const std::string& key_path,
    aifl::ledger::v1::Role role) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(key_path));
  ASSIGN_OR_RETURN(
      const std::optional<ledger::KeyInfo> info,
      target->FindKey(ledger::crypto::ComputeKeyId(key->public_key())));
  if (!info.has_value() || info->role != role || info->revoked()) {
    return absl::PermissionDeniedError(
        absl::StrCat(key_path, " is not an enrolled, unrevoked ",
                     ledger::RoleName(role), " key of ", target->Origin()));
  }
  auto signer = std::make_unique<ledger::EntrySigner>(
      std::move(key), target->Origin(), info->next_sequence);
  return std::unique_ptr<SignedAppender>(
      new SignedAppender(target, std::move(signer)));
}

absl::StatusOr<std::unique_ptr<SignedAppender>> SignedAppender::Create(
    ledger::Ledger* ledger, const std::string& key_path,
    aifl::ledger::v1::Role role) {
  auto target = std::make_unique<LedgerEntryTarget>(ledger);
  ASSIGN_OR_RETURN(std::unique_ptr<SignedAppender> appender,
                   Create(target.get(), key_path, role));
  appender->owned_target_ = std::move(target);
  return appender;
}

absl::StatusOr<uint64_t> SignedAppender::Append(
    absl::string_view type, const std::vector<std::string>& payloads,
    absl::string_view what) {
  const size_t kept = pending_.size();
  for (const std::string& p : payloads) {
    absl::StatusOr<std::string> envelope = signer_->SignNext(type, p);
    if (!envelope.ok()) {
      // Nothing of this call is sent: the counter goes back with it.
      signer_->set_next_sequence(signer_->next_sequence() -
                                 (pending_.size() - kept));
      pending_.resize(kept);
      return envelope.status();
    }
    pending_.push_back(*std::move(envelope));
  }
  if (pending_.empty()) return uint64_t{0};
  return Send(kept, what);
}

absl::Status SignedAppender::Flush() {
  if (pending_.empty()) return absl::OkStatus();
  return Send(0, "kept entry").status();
}

absl::StatusOr<uint64_t> SignedAppender::Send(size_t first_of_interest,
                                              absl::string_view what) {
  // Unanswered: everything stays pending, to be sent again as is.
  ASSIGN_OR_RETURN(const std::vector<ledger::AppendResult> appended,
                   target_->Append(pending_));
  std::vector<std::string> sent = std::move(pending_);
  pending_.clear();
  for (size_t i = 0; i < appended.size(); ++i) {
    if (appended[i].status.ok()) {
      appended_up_to_ = appended[i].leaf_index + 1;
      continue;
    }
    // Nothing after the refusal landed: continue from the target's count.
    absl::StatusOr<std::optional<ledger::KeyInfo>> info =
        target_->FindKey(signer_->key_id());
    if (info.ok() && info->has_value()) {
      signer_->set_next_sequence((*info)->next_sequence);
    }
    return absl::Status(
        appended[i].status.code(),
        absl::StrCat("appending ", what, " ", i, " of ", sent.size(), ": ",
                     appended[i].status.message()));
  }
  if (appended.size() != sent.size() || first_of_interest >= sent.size()) {
    return appended.size() == sent.size()
               ? absl::StatusOr<uint64_t>(uint64_t{0})
               : absl::DataLossError(
                     absl::StrCat("the ledger answered ", appended.size(),
                                  " results for ", sent.size(), " entries"));
  }
  return appended[first_of_interest].leaf_index;
}

}  // namespace compliance
