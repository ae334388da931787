#include "tools/ledgerctl/verify_command.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "api/client/log_audit.h"
#include "api/client/open_log_reader.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ledger/audit.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/log_source.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/signed_heads.h"
#include "tools/ledgerctl/terminal_progress.h"

namespace ledgerctl {
namespace {

using Progress = std::function<void(uint64_t, uint64_t)>;

// What `verify` prints, whichever checks ran.
struct VerifyReport {
  bool ok = true;
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  uint64_t latest_checkpoint_size = 0;
  ledger::merkle::Hash root{};
  std::optional<uint64_t> first_bad_index;
  std::string problem;
  std::optional<uint64_t> simulated_clock_since;
  std::vector<std::string> head_lines;
};

void AddProblem(VerifyReport& report, std::optional<uint64_t> first_bad,
                const std::string& problem) {
  if (report.ok) report.first_bad_index = first_bad;
  report.ok = false;
  if (!report.problem.empty()) report.problem += "; ";
  report.problem += problem;
}

// The audit over `log`'s reader, against its latest checkpoint.
absl::Status AuditThroughReader(api::client::OpenedLog& log,
                                const Progress& progress,
                                VerifyReport& report) {
  absl::StatusOr<api::client::VerifiedCheckpoint> latest =
      log.reader->LatestCheckpoint();
  if (absl::IsDataLoss(latest.status())) {
    AddProblem(report, std::nullopt, std::string(latest.status().message()));
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(latest.status());
  api::client::LogAuditOptions options;
  options.progress = progress;
  ASSIGN_OR_RETURN(api::client::LogAuditReport audit,
                   api::client::AuditLog(*log.reader, *latest, options));
  if (!audit.ok) {
    AddProblem(report, audit.first_bad_index, audit.problem);
    return absl::OkStatus();
  }
  report.entries = audit.entries;
  report.root = audit.root;
  report.checkpoints = 1;
  report.latest_checkpoint_size = latest->fields.size;
  return absl::OkStatus();
}

// The folder's storage-level checks: AuditStore, then the signed heads.
absl::Status AuditFolderStorage(const CommandArgs& args,
                                const Progress& progress,
                                VerifyReport& report) {
  ledger::AuditOptions options;
  options.progress = progress;
  ASSIGN_OR_RETURN(ledger::AuditReport audit,
                   ledger::AuditLedgerDir(args.dir, options));
  report.ok = audit.ok;
  report.entries = audit.entries;
  report.checkpoints = audit.checkpoints;
  report.latest_checkpoint_size = audit.latest_checkpoint_size;
  report.root = audit.root;
  report.first_bad_index = audit.first_bad_index;
  report.problem = audit.problem;
  report.simulated_clock_since = audit.simulated_clock_since;
  // Rollback evidence: is a signed head (the signed state, a published
  // checkpoint) ahead of the stored tree? Needs a ledger folder, not a bare
  // database copy.
  const std::string published = absl::GetFlag(FLAGS_checkpoint);
  absl::StatusOr<SignedHeadsReport> heads = CompareSignedHeads(
      args.dir, absl::GetFlag(FLAGS_signed_state_dir), published);
  if (!heads.ok()) {
    if (!published.empty() && report.ok) return heads.status();
    return absl::OkStatus();  // a bare database copy, or damage reported
  }
  report.head_lines = heads->lines;
  if (report.ok && !heads->ok) {
    for (const std::string& line : heads->lines) {
      AddProblem(report, std::nullopt, line);
    }
  }
  return absl::OkStatus();
}

// A folder that passed its storage checks is then read like any source.
// A bare database copy (a snapshot) has no keys folder and does not open as
// a ledger (kNotFound): the storage audit is all it gets.
absl::Status ReplayFolder(const CommandArgs& args, const Progress& progress,
                          VerifyReport& report) {
  absl::StatusOr<api::client::OpenedLog> log = OpenLog(args);
  if (absl::IsNotFound(log.status())) return absl::OkStatus();
  if (absl::IsDataLoss(log.status())) {
    AddProblem(report, std::nullopt, std::string(log.status().message()));
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(log.status());
  VerifyReport replay;
  RETURN_IF_ERROR(AuditThroughReader(*log, progress, replay));
  if (!replay.ok) {
    AddProblem(report, replay.first_bad_index, replay.problem);
  } else if (replay.root != report.root) {
    AddProblem(report, std::nullopt,
               "the leaves read through the ledger do not reproduce the "
               "root the storage audit recomputed");
  }
  return absl::OkStatus();
}

void Print(const VerifyReport& report, bool json, std::ostream& out) {
  if (json) {
    out << absl::StrFormat(
        "{\"ok\": %s, \"entries\": %d, \"checkpoints\": %d, "
        "\"latest_checkpoint_size\": %d, "
        "\"root\": \"%s\", \"first_bad_index\": %s, \"problem\": %s, "
        "\"signed_heads\": [%s], \"simulated_clock_since\": %s}\n",
        report.ok ? "true" : "false", report.entries, report.checkpoints,
        report.latest_checkpoint_size,
        ledger::merkle::HashToBase64(report.root),
        report.first_bad_index ? absl::StrCat(*report.first_bad_index) : "null",
        common::JsonQuote(report.problem),
        absl::StrJoin(report.head_lines, ", ",
                      [](std::string* o, const std::string& line) {
                        o->append(common::JsonQuote(line));
                      }),
        report.simulated_clock_since
            ? absl::StrCat(*report.simulated_clock_since)
            : "null");
    return;
  }
  if (report.simulated_clock_since)
    out << SimulatedClockLine(*report.simulated_clock_since);
  if (report.ok) {
    out << "ok: " << report.entries << " entries, " << report.checkpoints
        << " checkpoints verified; root "
        << ledger::merkle::HashToBase64(report.root) << "\n";
  }
  for (const std::string& line : report.head_lines) out << line << "\n";
}

}  // namespace

absl::Status Verify(const CommandArgs& args, std::ostream& out,
                    std::ostream& err) {
  TerminalProgress progress(err, args.stderr_is_terminal && !args.json);
  VerifyReport report;
  if (api::client::IsFolderSource(LogSourceFromFlags(args))) {
    RETURN_IF_ERROR(AuditFolderStorage(args, progress.Pass("audit"), report));
    progress.EndPass();
    if (report.ok) {
      RETURN_IF_ERROR(ReplayFolder(args, progress.Pass("read back"), report));
      progress.EndPass();
    }
  } else {
    ASSIGN_OR_RETURN(api::client::OpenedLog log, OpenLog(args));
    RETURN_IF_ERROR(AuditThroughReader(log, progress.Pass("audit"), report));
    progress.EndPass();
  }
  Print(report, args.json, out);
  if (!report.ok) {
    return absl::DataLossError(absl::StrCat("audit failed: ", report.problem));
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl
