// Global model identity at the AI Office (compliance/README.md, "Global
// model identity"): a model trained at several factories is one model when
// the same provider declared the same model id. The provider is who the
// factory's admin enrolled, not what a declaration says of itself:
//   * a share's provider is the Enrol.organisation of the ROLE_PROVIDER key
//     that signed the model's declaration in force in that factory's log
//     (rules::DeclarationRecord::signer_organisation); no declaration there:
//     "" (the provider is unknown, the share stays apart);
//   * organisations are one provider when one provider public key is
//     enrolled under each of them (at any factories): the provider identity
//     is the smallest organisation name (byte order) of that class, so it
//     does not depend on the order logs are followed.
// Pure; thread-compatible.
#ifndef COMPLIANCE_GLOBAL_MODEL_H_
#define COMPLIANCE_GLOBAL_MODEL_H_

#include <map>
#include <string>
#include <tuple>

#include "ledger/key_registry.h"

namespace compliance {

struct GlobalModelKey {
  std::string provider;  // canonical provider identity; "" = unknown
  std::string model_id;  // the factory's model id (aliases resolved)

  // Unambiguous text for maps and the rules engine's model id:
  // "<provider length>:<provider><model id>".
  std::string Text() const;
  // For people: "<provider> / <model id>" ("(undeclared)" for "").
  std::string Display() const;

  friend bool operator<(const GlobalModelKey& a, const GlobalModelKey& b) {
    return std::tie(a.provider, a.model_id) < std::tie(b.provider, b.model_id);
  }
  friend bool operator==(const GlobalModelKey& a, const GlobalModelKey& b) {
    return a.provider == b.provider && a.model_id == b.model_id;
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

}  // namespace compliance

#endif  // COMPLIANCE_GLOBAL_MODEL_H_
