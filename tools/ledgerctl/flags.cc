#include "tools/ledgerctl/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, dir, "", "ledger folder (made by `ledgerctl init`)");
ABSL_FLAG(std::string, origin, "",
          "log origin, e.g. ai-factory.example.eu/ledger");
ABSL_FLAG(std::string, out, "",
          "output path (keygen: key file; snapshot: folder)");
ABSL_FLAG(std::string, pub, "", "public key file (.pub) to enrol");
ABSL_FLAG(std::string, key, "",
          "signing key file for append, declare, notify and document");
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
ABSL_FLAG(std::string, new_key, "",
          "rotate-log-key: secret key file of the new log key (from keygen)");
ABSL_FLAG(bool, generate, false,
          "rotate-log-key: first write a fresh key to --new-key (which must "
          "not exist), with --new-key.pub beside it");
ABSL_FLAG(std::string, server, "",
          "HOST:PORT of a ledger_server; commands then go through its gRPC "
          "API and every answer is verified (default: local mode, --dir)");
ABSL_FLAG(std::string, tiles, "",
          "URL of the log's C2SP tlog-tiles (ledger_server --http_listen, or "
          "a web server over `ledgerctl publish`); read commands then read "
          "only tiles, verified with --vkey (required)");
ABSL_FLAG(std::string, vkey, "",
          "the log's verifier key (as `ledgerctl init` prints it); required "
          "with --server unless --trust_on_first_use");
ABSL_FLAG(std::string, policy, "",
          "with --server or --tiles: a C2SP tlog-policy file; checkpoints "
          "are accepted only when its witness quorum cosigned them (the "
          "error names the missing witnesses); without `log` lines it "
          "stands for --vkey's log");
ABSL_FLAG(bool, trust_on_first_use, false,
          "with --server and no --vkey: take the verifier key from "
          "Admin.GetStatus (trusts the server you first reach; default false)");
ABSL_FLAG(std::string, trusted_dir, "",
          "trusted-checkpoint store of the verifying client; default "
          "$HOME/.aifl-ledgerctl");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM roots for the server's TLS certificate (default: system roots)");
ABSL_FLAG(std::string, tls_cert, "", "client certificate chain (PEM) for mTLS");
ABSL_FLAG(std::string, tls_key, "",
          "client certificate's private key (PEM) for mTLS");
ABSL_FLAG(std::string, ca, "", "deprecated: use --tls_ca");
ABSL_FLAG(std::string, cert, "", "deprecated: use --tls_cert");
ABSL_FLAG(std::string, key_file, "", "deprecated: use --tls_key");
ABSL_FLAG(std::string, save, "",
          "checkpoint: also write the verified note to this file; declare, "
          "notify, document: write the checkpoint that includes the entry");
ABSL_FLAG(std::string, since, "",
          "grew: a checkpoint note saved earlier with `checkpoint --save`");
ABSL_FLAG(std::string, leaf_file, "",
          "prove: the exact leaf bytes (as `ledgerctl leaf` writes them)");
ABSL_FLAG(std::string, model, "", "model id (model, report, accounts)");
ABSL_FLAG(std::string, unit, "",
          "findings: only this unit, safety or compliance (default: both)");
ABSL_FLAG(bool, follow, false,
          "findings: keep the stream open and print new findings as they "
          "are recorded (Audit.WatchFindings)");
ABSL_FLAG(std::string, file, "",
          "document: the document itself; its SHA-256 and size are computed "
          "and recorded (the document is not sent)");
ABSL_FLAG(std::string, sha256, "",
          "document: the document's SHA-256 as 64 hex digits, when the "
          "document is not at hand");
ABSL_FLAG(std::string, signed_state_dir, "",
          "where the log key's signed state is kept, outside the ledger "
          "folder and its backups (init, enroll, revoke, append, snapshot, "
          "rotate-log-key, verify, restore-signed-state); must match the "
          "server's --signed_state_dir; default: beside the log key");
ABSL_FLAG(std::string, checkpoint, "",
          "verify, restore-signed-state: the newest checkpoint note published "
          "(e.g. saved by a client or witness with `checkpoint --save`)");
ABSL_FLAG(bool, refuse_redacted, false,
          "model-complete --server, and model|report --expand_index: fail "
          "on an entry the server redacted (another organisation's entry "
          "about the model, withheld from this identity: proven listed and "
          "included, but MapFn cannot be checked on it) instead of listing "
          "it as redacted");
