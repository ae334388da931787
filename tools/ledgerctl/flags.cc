#include "tools/ledgerctl/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, dir, "", "ledger folder (made by `ledgerctl init`)");
ABSL_FLAG(std::string, origin, "",
          "log origin, e.g. ai-factory.example.eu/ledger");
ABSL_FLAG(std::string, out, "",
          "output path (keygen: key file; snapshot: folder)");
ABSL_FLAG(std::string, pub, "", "public key file (.pub) to enrol");
ABSL_FLAG(std::string, key, "", "signing key file for `append`");
ABSL_FLAG(std::string, admin_key, "",
          "admin key file; default <dir>/keys/admin.key");
ABSL_FLAG(std::string, role, "",
          "role to enrol: admin, collector, provider, office or rules");
ABSL_FLAG(std::string, organisation, "", "organisation of an enrolled key");
ABSL_FLAG(std::string, node, "", "node (host) of an enrolled key");
ABSL_FLAG(std::string, tls_identity, "",
          "TLS client identity bound to an enrolled key");
ABSL_FLAG(std::string, key_id, "", "ledger key id (32 hex digits) to revoke");
ABSL_FLAG(std::string, reason, "", "reason recorded with a revocation");
ABSL_FLAG(std::string, type, "",
          "payload type for `append`; default aifl.<role>.v1.Blob for the "
          "key's role");
ABSL_FLAG(int64_t, index, -1, "leaf index");
ABSL_FLAG(int64_t, size, -1,
          "tree size; default the latest signed checkpoint's size");
ABSL_FLAG(int64_t, from, -1, "older tree size of a consistency proof");
ABSL_FLAG(int64_t, to, -1,
          "newer tree size; default the latest signed checkpoint's size");
ABSL_FLAG(bool, json, false, "machine-readable JSON output");
