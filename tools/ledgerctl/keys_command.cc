#include "tools/ledgerctl/keys_command.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/client/log_audit.h"
#include "api/client/open_log_reader.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/key_registry.h"
#include "ledger/ledger.h"
#include "ledger/roles.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/log_source.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/remote_commands.h"

namespace ledgerctl {
namespace {

using api::client::VerifiedCheckpoint;

// The registry and log-key history after the last leaf of `at`.
struct FoldedKeys {
  std::vector<ledger::KeyInfo> keys;
  ledger::LogKeyHistory log_keys;
};

// Audits the leaves of `at` and keeps the registry AuditLog folded. Only
// admission is replayed, not every signature (the checkpoint covers the
// leaves; `verify` checks the signatures), so `keys` costs a read of the
// log, not a full audit.
absl::StatusOr<FoldedKeys> FoldKeys(api::client::LogReader& reader,
                                    const VerifiedCheckpoint& at) {
  FoldedKeys folded;
  api::client::LogAuditOptions options;
  options.verify_signatures = false;
  options.visit = [&](uint64_t index, absl::string_view,
                      const ledger::KeyRegistry& registry) {
    if (index + 1 == at.fields.size) {
      folded.keys = registry.All();
      folded.log_keys = registry.log_keys();
    }
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(api::client::LogAuditReport report,
                   api::client::AuditLog(reader, at, options));
  if (!report.ok) {
    return absl::DataLossError(absl::StrCat(
        reader.Source(), ": the leaves do not audit: ", report.problem));
  }
  return folded;
}

absl::Status PrintFolded(const FoldedKeys& folded, const std::string& origin,
                         bool json, std::ostream& out) {
  std::vector<KeyLine> lines;
  for (const ledger::KeyInfo& k : folded.keys) {
    lines.push_back(
        KeyLine{k.id.ToString(), std::string(ledger::RoleName(k.role)),
                k.organisation, k.node, k.tls_identity, k.enrolled_at_leaf,
                k.revoked_at_leaf, k.next_sequence});
  }
  std::vector<LogKeyLine> log_lines;
  for (const ledger::LogKeyEpoch& epoch : folded.log_keys.epochs()) {
    log_lines.push_back(LogKeyLine{ledger::LogVerifierKey(origin, epoch.key),
                                   epoch.announced_at_leaf});
  }
  out << FormatKeys(lines, log_lines, json);
  return absl::OkStatus();
}

// A caller the server does not let read the log learns how to ask about
// its own key instead.
absl::Status WithOwnKeyHint(const absl::Status& status) {
  if (!absl::IsPermissionDenied(status)) return status;
  return absl::PermissionDeniedError(absl::StrCat(
      status.message(), " (to see your own key: keys --key K --server S)"));
}

}  // namespace

absl::Status Keys(const CommandArgs& args, std::ostream& out) {
  if (!absl::GetFlag(FLAGS_key).empty()) {
    if (absl::GetFlag(FLAGS_server).empty()) {
      return absl::InvalidArgumentError(
          "keys --key asks a server about your own key: --server is required");
    }
    return OwnKeyState(args, out);
  }
  api::client::LogSourceOptions source = LogSourceFromFlags(args);
  // A folder is opened here once, for its simulated-clock mark, and read
  // through the same reader as any source.
  std::unique_ptr<ledger::Ledger> folder;
  if (api::client::IsFolderSource(source)) {
    ledger::LedgerOptions options;
    options.dir = source.dir;
    options.read_only = true;
    options.signed_state_dir = source.signed_state_dir;
    ASSIGN_OR_RETURN(folder, ledger::Ledger::Open(options));
    source.open_ledger = folder.get();
  }
  ASSIGN_OR_RETURN(api::client::OpenedLog log,
                   api::client::OpenLogReader(source));
  absl::StatusOr<VerifiedCheckpoint> latest = log.reader->LatestCheckpoint();
  RETURN_IF_ERROR(WithOwnKeyHint(latest.status()));
  absl::StatusOr<FoldedKeys> folded = FoldKeys(*log.reader, *latest);
  RETURN_IF_ERROR(WithOwnKeyHint(folded.status()));
  if (!args.json && folder != nullptr && folder->simulated_clock_since())
    out << SimulatedClockLine(*folder->simulated_clock_since());
  return PrintFolded(*folded, log.reader->Origin(), args.json, out);
}

}  // namespace ledgerctl
