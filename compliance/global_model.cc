#include "compliance/global_model.h"

#include "absl/strings/str_cat.h"
#include "rules/ledger_entry.h"

namespace compliance {

std::string GlobalModelKey::Text() const {
  if (provider.empty()) {
    return absl::StrCat("0:", origin.size(), ":", origin, model_id);
  }
  return absl::StrCat(provider.size(), ":", provider, model_id);
}

std::string GlobalModelKey::Display() const {
  if (provider.empty()) {
    return absl::StrCat("(unknown provider at ", origin, ") / ", model_id);
  }
  return absl::StrCat(provider, " / ", model_id);
}

void ProviderIdentities::AddRegistry(const ledger::KeyRegistry& registry) {
  for (const ledger::KeyInfo& info : registry.All()) {
    if (info.role != aifl::ledger::v1::ROLE_PROVIDER ||
        !info.public_key.has_value() || info.organisation.empty()) {
      continue;
    }
    parent_.emplace(info.organisation, info.organisation);
    const std::string key(info.public_key->bytes());
    auto [it, fresh] = by_key_.emplace(key, info.organisation);
    if (!fresh) Union(it->second, info.organisation);
  }
}

std::string ProviderIdentities::Find(const std::string& organisation) const {
  std::string at = organisation;
  for (auto it = parent_.find(at); it != parent_.end() && it->second != at;
       it = parent_.find(at)) {
    at = it->second;
  }
  return at;
}

void ProviderIdentities::Union(const std::string& a, const std::string& b) {
  const std::string ra = Find(a), rb = Find(b);
  if (ra == rb) return;
  // The smaller name is the root: the identity is the class's smallest name.
  if (ra < rb) {
    parent_[rb] = ra;
  } else {
    parent_[ra] = rb;
  }
}

std::string ProviderIdentities::Canonical(
    const std::string& organisation) const {
  if (organisation.empty()) return "";
  return Find(organisation);
}

GlobalModelKey KeyOf(const std::string& origin, const rules::ModelState& state,
                     const ProviderIdentities& providers) {
  const std::string organisation(rules::OrganisationOfPrincipal(state.owner));
  if (organisation.empty()) return {"", origin, state.model_id};
  return {providers.Canonical(organisation), "", state.model_id};
}

}  // namespace compliance
