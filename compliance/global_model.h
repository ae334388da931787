// Global model identity at the AI Office (compliance/README.md, "Global
// model identity"): a model trained at several factories is one model when
// the same provider declared the same model id. The provider is who the
// factory's admin enrolled, not what a declaration says of itself:
//   * a share's provider is the organisation of the model's owner at that
//     factory (rules::ModelState::owner: the principal, rules::PrincipalOf,
//     of the key that signed its first declaration there, the same
//     principal the ownership rule uses; rules::OrganisationOfPrincipal);
//   * organisations are one provider when one provider public key is
//     enrolled under each of them (at any factories): the provider identity
//     is the smallest organisation name (byte order) of that class, so it
//     does not depend on the order logs are followed;
//   * a model whose owner has no organisation (no declaration there, or one
//     signed by a key enrolled without an organisation: its principal is a
//     TLS identity of that factory's PKI) has an unknown provider and is
//     that factory's own: its key carries the origin, so two users'
//     "llama-ft" at two factories are two models.
// Pure; thread-compatible.
#ifndef COMPLIANCE_GLOBAL_MODEL_H_
#define COMPLIANCE_GLOBAL_MODEL_H_

#include <map>
#include <string>
#include <tuple>

#include "ledger/key_registry.h"
#include "rules/model_state.h"

namespace compliance {

struct GlobalModelKey {
  std::string provider;  // canonical provider identity; "" = unknown
  // The factory log (origin) whose model it is when the provider is
  // unknown; "" when it is known.
  std::string origin;
  std::string model_id;  // the factory's model id (aliases resolved)

  // Unambiguous text for maps and the rules engine's model id: a known
  // provider's "<len(provider)>:<provider><model id>"; an unknown one's
  // "0:<len(origin)>:<origin><model id>".
  std::string Text() const;
  // For people, and the Office ledger's model names (log_fold.h
  // OfficeModelName): "<provider> / <model id>", or "(unknown provider at
  // <origin>) / <model id>".
  std::string Display() const;

  friend bool operator<(const GlobalModelKey& a, const GlobalModelKey& b) {
    return std::tie(a.provider, a.origin, a.model_id) <
           std::tie(b.provider, b.origin, b.model_id);
  }
  friend bool operator==(const GlobalModelKey& a, const GlobalModelKey& b) {
    return a.provider == b.provider && a.origin == b.origin &&
           a.model_id == b.model_id;
  }
};

// Organisations linked by shared provider keys.
class ProviderIdentities {
 public:
  // Adds every ROLE_PROVIDER key of one log's registry.
  void AddRegistry(const ledger::KeyRegistry& registry);
  // The provider identity of `organisation` ("" stays "").
  std::string Canonical(const std::string& organisation) const;

 private:
  std::string Find(const std::string& organisation) const;
  void Union(const std::string& a, const std::string& b);

  std::map<std::string, std::string> parent_;  // organisation → parent
  std::map<std::string, std::string> by_key_;  // public key → organisation
};

// The global key of `state`, a model of the log `origin` (see above).
GlobalModelKey KeyOf(const std::string& origin, const rules::ModelState& state,
                     const ProviderIdentities& providers);

}  // namespace compliance

#endif  // COMPLIANCE_GLOBAL_MODEL_H_
