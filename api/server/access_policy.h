// The access matrix: which TLS role may call which method, and which signing
// keys a caller may submit with. Pure; thread-safe. The table is documented in
// api/README.md ("Roles"); keep both in step.
#ifndef API_SERVER_ACCESS_POLICY_H_
#define API_SERVER_ACCESS_POLICY_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/server/caller.h"
#include "api/server/model_ownership.h"
#include "api/server/model_view.h"
#include "ledger/key_registry.h"

namespace api::server {

enum class Method {
  kSubmit,
  kGetProofReceipt,
  kGetOwnKeyState,
  kGetCheckpoint,
  kListCheckpoints,
  kGetEntries,
  kGetInclusionProof,
  kGetConsistencyProof,
  kListModels,
  kGetModel,
  kListFindings,
  kWatchFindings,
  kGetLogKeys,
  kGetModelEntries,
  kSubmitKeyEvent,
  kListKeys,
  kGetStatus,
};

absl::string_view MethodName(Method method);

// OK when `caller` may call `method`; kPermissionDenied naming the role and
// the method otherwise.
absl::Status CheckMethodAllowed(const Caller& caller, Method method);

// True when the caller may read every receipt and entry; false when it may
// read receipts of entries signed by keys bound to its own identity only.
bool ReadsEverything(const Caller& caller);

// What `caller` may read of models, findings and leaves: everything for
// ReadsEverything callers; for a provider, the models owned by the
// principals (ProviderPrincipal) of the provider keys bound to its identity
// in `all` (revoked ones included: a rotated key does not orphan a model);
// nothing for other roles. The certificate's O is not consulted: the
// organisation is the one the operator enrolled the keys under.
ReadScope ReadScopeOf(const Caller& caller,
                      const std::vector<ledger::KeyInfo>& all);

// Whether Admin.ListKeys shows `key` to a caller with `scope`: every key to
// callers that read everything; to a provider, the factory's and the
// office's keys (collector, rules, admin, office: the signers of its
// evidence, whose public keys a statement carries) and the provider keys of
// its own principals, never another provider's.
bool KeyVisibleTo(const ReadScope& scope, const ledger::KeyInfo& key);

// OK when `caller` may submit entries signed by `key`: the key's signing role
// is the one the caller's TLS role submits with (collector → collector keys,
// provider → provider, office → office, rules → rules, admin → admin) and the
// key's tls_identity equals the caller's identity. The local operator may use
// any key. kPermissionDenied saying which check failed otherwise.
absl::Status CheckMaySubmitWith(const Caller& caller,
                                const ledger::KeyInfo& key);

// The keys whose state Ingest.GetOwnKeyState tells `caller`: among
// `requested` (every key in `all` when empty), those it may submit with
// (CheckMaySubmitWith), revoked ones included, ordered by key id. A
// requested id that is unknown or not the caller's is left out, so the
// answer says nothing about other callers' keys. kInvalidArgument when the
// local operator (who may use any key) names none.
absl::StatusOr<std::vector<ledger::KeyInfo>> OwnKeys(
    const Caller& caller, const std::vector<ledger::crypto::KeyId>& requested,
    const std::vector<ledger::KeyInfo>& all);

}  // namespace api::server

#endif  // API_SERVER_ACCESS_POLICY_H_
