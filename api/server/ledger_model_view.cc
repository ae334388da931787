#include "api/server/ledger_model_view.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/client/model_records.h"
#include "api/server/log.h"
#include "common/status_macros.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"

namespace api::server {

absl::StatusOr<std::unique_ptr<LedgerModelView>> LedgerModelView::Create(
    const ledger::Ledger* ledger, const std::string& rules_pack_path) {
  ASSIGN_OR_RETURN(rules::RulePack pack, rules::LoadRulePack(rules_pack_path));
  ASSIGN_OR_RETURN(std::unique_ptr<compliance::LogFold> fold,
                   compliance::LogFold::Create(std::move(pack)));
  return std::unique_ptr<LedgerModelView>(
      new LedgerModelView(ledger, std::move(fold)));
}

LedgerModelView::LedgerModelView(const ledger::Ledger* ledger,
                                 std::unique_ptr<compliance::LogFold> fold)
    : ledger_(ledger),
      pack_version_(fold->pack_version()),
      fold_(std::move(fold)) {}

absl::Status LedgerModelView::CatchUp() {
  return WithFold([](compliance::LogFold&) {});
}

absl::Status LedgerModelView::WithFold(
    const std::function<void(compliance::LogFold&)>& fn) {
  absl::MutexLock lock(&mu_);
  const size_t first_new = fold_->findings().size();
  absl::Status caught_up = CatchUpLocked();
  if (caught_up.ok()) fn(*fold_);
  // Also after an error: what was folded before it is not announced again.
  const std::vector<compliance::LoggedFinding>& all = fold_->findings();
  if (all.size() > first_new) {
    absl::MutexLock sub_lock(&sub_mu_);
    for (size_t i = first_new; i < all.size(); ++i) {
      const aifl::api::v1::RecordedFinding recorded =
          api::client::RecordedFindingOf(all[i]);
      for (auto& [id, subscriber] : sinks_) {
        if (InScope(subscriber.scope, all[i].finding.model_id())) {
          subscriber.sink(recorded);
        }
      }
    }
  }
  return caught_up;
}

absl::Status LedgerModelView::CatchUpLocked() {
  const compliance::KeyLookup keys = [this](const ledger::crypto::KeyId& id) {
    return ledger_->FindKey(id);
  };
  const uint64_t size = ledger_->Size();
  while (fold_->next_leaf() < size) {
    const uint64_t start = fold_->next_leaf();
    ASSIGN_OR_RETURN(
        std::vector<std::string> leaves,
        ledger_->GetLeaves(start, std::min<uint64_t>(1000, size - start)));
    if (leaves.empty()) {
      return absl::DataLossError(
          absl::StrCat("the ledger returned no leaves from ", start,
                       " below its size ", size));
    }
    for (const std::string& leaf : leaves) {
      const uint64_t index = fold_->next_leaf();
      ASSIGN_OR_RETURN(compliance::LogFold::Added added,
                       fold_->Add(index, leaf, keys));
      Report(index, added);
      if (added.use == compliance::LogFold::Use::kFolded) {
        // Only provider payloads need their signer (collector records,
        // the bulk, skip the envelope parse).
        const bool provider =
            absl::StartsWith(added.payload_type, rules::kProviderTypePrefix);
        ownership_.AddLeaf(index, added.models,
                           provider ? ProviderSigner(leaf) : "",
                           added.payload_type == rules::kModelDeclarationType);
      } else {
        ownership_.AddLeaf(index, {}, "", false);
      }
    }
  }
  return absl::OkStatus();
}

void LedgerModelView::Report(uint64_t index,
                             const compliance::LogFold::Added& added) {
  using Use = compliance::LogFold::Use;
  if (added.use == Use::kRefused && fold_errors_++ < 10) {
    // A signed entry the fold cannot use (e.g. a payload that does not
    // parse) stays in the log; the model state leaves it out.
    LogEvent("warning", "model_fold_skipped_entry",
             {{"leaf", absl::StrCat(index)}, {"error", added.why.ToString()}});
  } else if (added.use == Use::kNotEvidence && not_evidence_logged_++ < 10) {
    // The registry did not hold its signer at that leaf
    // (compliance/leaf_entry.h): counted, never folded.
    LogEvent("warning", "leaf_not_evidence",
             {{"leaf", absl::StrCat(index)}, {"error", added.why.ToString()}});
  }
}

std::string LedgerModelView::ProviderSigner(absl::string_view leaf) const {
  // The fold took the leaf, so it parses and its signer is enrolled.
  absl::StatusOr<ledger::entry::Leaf> parsed = ledger::entry::ParseLeaf(leaf);
  if (!parsed.ok()) return "";
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(parsed->envelope);
  if (!envelope.ok()) return "";
  std::optional<ledger::KeyInfo> key =
      ledger_->FindKey(ledger::crypto::KeyId(envelope->key_id));
  if (!key.has_value() || key->role != aifl::ledger::v1::ROLE_PROVIDER) {
    return "";
  }
  return ProviderPrincipal(*key);
}

bool LedgerModelView::InScope(const ReadScope& scope,
                              const std::string& model_id) const {
  if (scope.everything) return true;
  const rules::ModelState* state = fold_->engine().fold().Find(model_id);
  return state != nullptr && ownership_.Owns(scope.principals, state->model_id);
}

absl::StatusOr<aifl::api::v1::ListModelsResponse> LedgerModelView::ListModels(
    const ReadScope& scope, uint32_t page_size, const std::string& page_token) {
  absl::MutexLock lock(&mu_);
  if (scope.everything) {
    return api::client::ListModelsOf(*fold_, page_size, page_token);
  }
  return api::client::ListModelsOf(
      *fold_, page_size, page_token, [&](const std::string& id) {
        mu_.AssertHeld();
        return ownership_.Owns(scope.principals, id);
      });
}

absl::StatusOr<aifl::api::v1::ModelDetail> LedgerModelView::GetModel(
    const ReadScope& scope, const std::string& model_id) {
  absl::MutexLock lock(&mu_);
  if (!InScope(scope, model_id)) {
    return absl::PermissionDeniedError(kNotOwnModel);
  }
  return api::client::ModelDetailOf(*fold_, model_id);
}

absl::Status LedgerModelView::CheckLeavesInScope(const ReadScope& scope,
                                                 uint64_t first,
                                                 uint64_t count) {
  if (scope.everything) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  for (uint64_t i = first; i < first + count; ++i) {
    if (!ownership_.OwnsLeaf(scope.principals, i)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "leaf ", i,
          ": not an entry about this provider's models (a provider reads "
          "its own entries and its models' evidence only)"));
    }
  }
  return absl::OkStatus();
}

std::vector<aifl::api::v1::RecordedFinding> LedgerModelView::Findings(
    const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
    uint64_t* next_leaf) {
  absl::MutexLock lock(&mu_);
  std::vector<aifl::api::v1::RecordedFinding> out;
  *next_leaf = 0;
  const std::vector<compliance::LoggedFinding>& all = fold_->findings();
  auto it = std::lower_bound(all.begin(), all.end(), from_leaf,
                             [](const compliance::LoggedFinding& f,
                                uint64_t leaf) { return f.leaf_index < leaf; });
  for (; it != all.end(); ++it) {
    if (!filter.Matches(it->finding) ||
        !InScope(filter.scope, it->finding.model_id())) {
      continue;
    }
    if (out.size() == limit) {
      *next_leaf = it->leaf_index;
      break;
    }
    out.push_back(api::client::RecordedFindingOf(*it));
  }
  return out;
}

uint64_t LedgerModelView::Subscribe(const ReadScope& scope, FindingSink sink) {
  absl::MutexLock lock(&sub_mu_);
  uint64_t id = next_id_++;
  sinks_[id] = Subscriber{scope, std::move(sink)};
  return id;
}

void LedgerModelView::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&sub_mu_);
  sinks_.erase(id);
}

}  // namespace api::server
