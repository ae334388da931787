#include "api/server/model_ownership.h"

#include <algorithm>

#include "rules/ledger_entry.h"

namespace api::server {
namespace {

bool Contains(const std::vector<std::string>& principals,
              absl::string_view owner) {
  return !owner.empty() && std::find(principals.begin(), principals.end(),
                                     owner) != principals.end();
}

}  // namespace

std::string ProviderPrincipal(const ledger::KeyInfo& key) {
  // One definition with the fold's, which decides what a key may claim.
  return rules::PrincipalOf(key.organisation, key.tls_identity);
}

uint32_t ModelOwnership::NumberOf(const std::string& model_id) {
  auto [it, inserted] = numbers_.try_emplace(model_id, owner_.size() + 1);
  if (inserted) owner_.emplace_back();
  return it->second;
}

void ModelOwnership::AddLeaf(uint64_t index,
                             const std::vector<std::string>& models,
                             const std::string& signer, bool declaration) {
  // The caller feeds leaves in order; a gap would misplace every later leaf.
  if (index != leaf_model_.size()) leaf_model_.resize(index, kNone);
  std::vector<uint32_t> numbers;
  for (const std::string& id : models) {
    const uint32_t n = NumberOf(id);
    std::string& owner = owner_[n - 1];
    if (!signer.empty() && declaration && owner.empty()) owner = signer;
    // A provider entry the fold refused for another's model (kept there for
    // DQ1) is not that owner's to read: it holds the signer's content.
    if (!signer.empty() && !owner.empty() && owner != signer) continue;
    // Nor is one about a model no one owned yet, whoever claims it later.
    if (!signer.empty() && owner.empty()) unowned_signer_[index] = signer;
    if (std::find(numbers.begin(), numbers.end(), n) == numbers.end()) {
      numbers.push_back(n);
    }
  }
  if (numbers.empty()) {
    leaf_model_.push_back(kNone);
  } else if (numbers.size() == 1) {
    leaf_model_.push_back(numbers[0]);
  } else {
    leaf_model_.push_back(kSeveral);
    several_[index] = std::move(numbers);
  }
}

absl::string_view ModelOwnership::OwnerOf(absl::string_view model_id) const {
  auto it = numbers_.find(model_id);
  if (it == numbers_.end()) return "";
  return owner_[it->second - 1];
}

bool ModelOwnership::Owns(const std::vector<std::string>& principals,
                          absl::string_view model_id) const {
  return Contains(principals, OwnerOf(model_id));
}

bool ModelOwnership::OwnsLeaf(const std::vector<std::string>& principals,
                              uint64_t index) const {
  if (index >= leaf_model_.size()) return false;
  if (auto it = unowned_signer_.find(index);
      it != unowned_signer_.end() && !Contains(principals, it->second)) {
    return false;
  }
  const uint32_t n = leaf_model_[index];
  if (n == kNone) return false;
  if (n != kSeveral) return Contains(principals, owner_[n - 1]);
  for (uint32_t m : several_.at(index)) {
    if (!Contains(principals, owner_[m - 1])) return false;
  }
  return true;
}

}  // namespace api::server
