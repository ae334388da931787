// The access matrix: which TLS role may call which method, and which signing
// keys a caller may submit with. Pure; thread-safe. The table is documented in
// api/README.md ("Roles"); keep both in step.
#ifndef API_SERVER_ACCESS_POLICY_H_
#define API_SERVER_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "api/server/caller.h"
#include "ledger/key_registry.h"

namespace api::server {

enum class Method {
  kSubmit,
  kGetProofReceipt,
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

// OK when `caller` may submit entries signed by `key`: the key's signing role
// is the one the caller's TLS role submits with (collector → collector keys,
// provider → provider, office → office, rules → rules, admin → admin) and the
// key's tls_identity equals the caller's identity. The local operator may use
// any key. kPermissionDenied saying which check failed otherwise.
absl::Status CheckMaySubmitWith(const Caller& caller,
                                const ledger::KeyInfo& key);

}  // namespace api::server

#endif  // API_SERVER_ACCESS_POLICY_H_
