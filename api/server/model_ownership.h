// Which provider owns which model, and which leaves are about which models:
// what a provider's scoped reads (api/README.md, "The provider's own view")
// are decided on. Fed by the server's one fold of the log, leaf by leaf.
//
// Ownership (ledger/FORMAT.md, "Ownership of models and records"): a model
// belongs to the provider principal (ProviderPrincipal) of the key that
// signed the first ModelDeclaration folded into it; later declarations never
// move it. A leaf belongs to the owner of every model it is about (the
// models the fold put it into: a declaration, document, notification,
// collector record attributed by its model id, its run or its scheduler
// account, an office decision or a finding about the model). A leaf about no
// model (key events, unattributed collector records) or about a model no
// declaration claimed yet belongs to no provider: office and auditors only.
// A provider-signed leaf is never about a model another principal owns (the
// fold refuses it: rules/model_state_fold.h), and one about a model no one
// owned yet stays its signer's: a later owner of another principal does not
// read it.
//
// Memory: 4 bytes per leaf folded, plus the model ids and the signers of
// provider leaves about models unowned when they came. Pure; not
// thread-safe (the model view serializes calls under its lock).
#ifndef API_SERVER_MODEL_OWNERSHIP_H_
#define API_SERVER_MODEL_OWNERSHIP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "ledger/key_registry.h"

namespace api::server {

// The principal a provider key speaks for: its organisation as the operator
// enrolled it ("org:" ‖ organisation), or, for a key enrolled without one,
// its TLS identity alone ("id:" ‖ tls_identity), so that two keys without
// an organisation never share models.
std::string ProviderPrincipal(const ledger::KeyInfo& key);

class ModelOwnership {
 public:
  // Records leaf `index` (= leaves() so far; leaves are added in order),
  // about the canonical model ids `models`. `signer` is the principal of the
  // provider key that signed it, "" for other roles. A provider leaf is not
  // about a model another principal owns (the fold names such a model for
  // an entry it refused: rules/model_state_fold.h). When `declaration` (a
  // ModelDeclaration the fold took), `signer` becomes the owner of each of
  // `models` without one; any other provider leaf about a model without an
  // owner stays readable by `signer` alone among providers.
  void AddLeaf(uint64_t index, const std::vector<std::string>& models,
               const std::string& signer, bool declaration);

  uint64_t leaves() const { return leaf_model_.size(); }

  // The owner of canonical model `model_id`, or "" when none.
  absl::string_view OwnerOf(absl::string_view model_id) const;

  // True when `model_id` (canonical) is owned by one of `principals`.
  bool Owns(const std::vector<std::string>& principals,
            absl::string_view model_id) const;

  // True when leaf `index` is about at least one model and every model it
  // is about is owned by one of `principals`. False for leaves not added.
  bool OwnsLeaf(const std::vector<std::string>& principals,
                uint64_t index) const;

 private:
  static constexpr uint32_t kNone = 0;
  static constexpr uint32_t kSeveral = UINT32_MAX;

  uint32_t NumberOf(const std::string& model_id);

  // Model number + 1 per leaf; kNone: about no model; kSeveral: see
  // several_.
  std::vector<uint32_t> leaf_model_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> several_;
  // Provider leaves (not declarations) about a model that had no owner when
  // they came: leaf → its signer, the one provider principal that reads it.
  absl::flat_hash_map<uint64_t, std::string> unowned_signer_;
  absl::flat_hash_map<std::string, uint32_t> numbers_;  // id → number + 1
  std::vector<std::string> owner_;                      // by number
};

}  // namespace api::server

#endif  // API_SERVER_MODEL_OWNERSHIP_H_
