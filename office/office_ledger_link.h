// How the AI Office monitor reaches its Office ledger (office_ledger_sink.h):
//   - through a ledger_server (the production shape,
//   docs/ai-office-monitor.md):
//     entries go through its gRPC ingest, each acknowledged by a
//     DurableReceipt (api/client/ingest_entry_target.h), read back through
//     a verifying LogReader (its gRPC Audit, or its tiles when their URL is
//     given), while the same server serves the ledger to
//     auditors (gRPC Audit, tiles). The rules key and the office key are
//     bound to two TLS identities (api/README.md, "Roles": the office role
//     submits with office keys, the rules role with rules keys), so two
//     clients: one per certificate;
//   - or to a ledger folder the monitor holds itself (tests, a one-off run;
//     no server can serve it meanwhile: RocksDB's lock).
// Both give the sink the same parts, so the recording logic is one.
//
// Thread-compatible (the sink serializes its calls).
#ifndef OFFICE_OFFICE_LEDGER_LINK_H_
#define OFFICE_OFFICE_LEDGER_LINK_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/client/log_reader.h"
#include "api/client/open_log_reader.h"
#include "common/clock.h"
#include "compliance/entry_target.h"
#include "ledger/ledger.h"

namespace office {

struct OfficeLedgerLinkOptions {
  // ---- A ledger folder the monitor holds: `ledger_dir`. Default: "".
  std::string ledger_dir;
  common::Clock* clock = nullptr;  // the folder's clock; default: real

  // ---- Or a ledger_server (when `server` is set; then not `ledger_dir`).
  // host:port of its gRPC API; `vkey` the Office ledger's verifier key.
  std::string server;
  std::string vkey;
  // TLS (api/client/channel.h; plaintext only to a loopback server
  // without them): the CA, and the office role's client certificate (the
  // office key's TLS identity; it also reads the ledger back).
  std::string tls_ca, tls_cert, tls_key;
  // The rules role's client certificate (the rules key's TLS identity).
  // Default: the office one's (only a loopback server run with
  // --insecure_loopback, whose local operator may use any key, takes it).
  std::string rules_tls_cert, rules_tls_key;
  // The reader's trusted-checkpoint store ("" = in memory): a restarted
  // monitor then detects an Office ledger server that rolled back.
  std::string trusted_dir;
  // The server's tlog-tiles URL (its --http_listen), when set: the ledger
  // is read back from its tiles (a bundle per 256 leaves) instead of over
  // gRPC (an inclusion proof per leaf). Default: "".
  std::string tiles_url;
  // How long Open waits for the server to publish a checkpoint covering
  // every entry it acknowledged (its --checkpoint_interval). Default: 60 s.
  absl::Duration settle_timeout = absl::Seconds(60);
};

struct OfficeLedgerLink {
  // Folder mode: the ledger held (first: the others point into it).
  std::unique_ptr<ledger::Ledger> ledger;
  // Server mode: the two clients (office role, rules role).
  api::client::ConnectedClient office_client, rules_client;
  // Where each key's entries go (the same target in folder mode).
  std::unique_ptr<compliance::EntryTarget> office_target, rules_target;
  std::unique_ptr<api::client::LogReader> reader;
  // Makes the entries appended so far part of a signed checkpoint: the
  // folder publishes one; a server's own publisher does (nothing to do).
  std::function<absl::Status()> publish;

  // The reader's checkpoint covering every entry the ledger acknowledged
  // so far (after a crash: every entry that landed, answered or not), so a
  // read back up to it misses none of the monitor's own entries. Server:
  // its tree size (Admin.GetStatus), then its checkpoints until one covers
  // it, for at most `settle_timeout`.
  absl::StatusOr<api::client::VerifiedCheckpoint> Settled(
      absl::Duration settle_timeout);
};

// kInvalidArgument for neither or both of ledger_dir and server, or a
// server without vkey; the ledger's, the clients' errors otherwise.
absl::StatusOr<std::unique_ptr<OfficeLedgerLink>> OpenOfficeLedgerLink(
    const OfficeLedgerLinkOptions& options);

}  // namespace office

#endif  // OFFICE_OFFICE_LEDGER_LINK_H_
