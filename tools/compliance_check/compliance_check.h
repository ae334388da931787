// compliance_check: evaluates the AI Act rule pack against a local ledger
// folder and reports the findings; optionally records the raised and cleared
// findings in the ledger, signed by a rules key. The library behind
// compliance_check_main.cc (which only parses flags), so that tests call it.
//
// Exit codes: kExitClean (0) when no finding reaches `fail_on`,
// kExitFindings (1) when some do, kExitError (2) on usage or I/O errors
// (one line on `err`). Not thread-safe (one run at a time per ledger folder
// when recording).
#ifndef TOOLS_COMPLIANCE_CHECK_COMPLIANCE_CHECK_H_
#define TOOLS_COMPLIANCE_CHECK_COMPLIANCE_CHECK_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "compliance/leaf_entry.h"
#include "schema/findings.pb.h"
#include "tools/compliance_check/recorded_evidence.h"

namespace compliance_check {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

struct Options {
  // The ledger folder (made by ledgerctl init). Required unless `server`.
  std::string dir;
  // Evaluate through a ledger server instead (host:port), verifying what it
  // sends against its checkpoint; needs `vkey`. Not with record or audit.
  std::string server;
  // Or through the log's C2SP tlog-tiles under this URL (http:// or
  // https://), verified the same way; needs `vkey`. Not with `server`,
  // record or audit.
  std::string tiles_url;
  // The log's note verifier key (printed by ledgerctl init).
  std::string vkey;
  // With server or tiles: a tlog-policy file; checkpoints are accepted only
  // when its quorum cosigned them ("" = no witnesses needed).
  std::string policy_file;
  // The client's trusted-checkpoint store ("" = none). TLS: CA file, and a
  // client certificate and key when the server asks for one.
  std::string trusted_dir;
  std::string ca_file, cert_file, key_file;
  // Only this model's findings ("" = every model).
  std::string model;
  // Only entries integrated at or before this instant; also the evaluation
  // clock. Default: none (every checkpointed entry, clock = `now`).
  std::optional<absl::Time> as_of;
  // The current time (main: the real clock).
  absl::Time now = absl::UnixEpoch();
  // The rule pack file. Default "": the v1 pack built into the binary
  // (rules/default_pack.h), so it runs from any directory.
  std::string pack_path;
  // JSON instead of text. Default: false.
  bool json = false;
  // The lowest severity that makes the exit code 1. Default: VIOLATION.
  aifl::rules::v1::Severity fail_on = aifl::rules::v1::VIOLATION;
  // Run the full offline audit (ledger::AuditLedgerDir) first. Default: false.
  bool audit = false;
  // Compare each recorded finding's evidence count and SHA-256 with a replay
  // of the rules (recorded_evidence.h); a difference gives exit code 1.
  // Default: false.
  bool check_recorded = false;
  // Append the findings that changed (raised or cleared) since those already
  // in the ledger, signed by the key in `rules_key` (a secret key file of an
  // enrolled ROLE_RULES key); opens the ledger read-write and publishes a
  // checkpoint. Not with `as_of`. Default: false.
  bool record = false;
  std::string rules_key;
  // With record: the ledger's per-model index, whose citations the recorded
  // findings about a model carry (Finding.index_citation, as ledger_server
  // --index_dir records them): its output log folder (opened read-only,
  // for its origin) and its RocksDB folder, as given to ledger_server
  // --index_dir / --index_store or ledgerctl index-update. Both or neither.
  // Default: "" (findings without a citation).
  std::string index_dir;
  std::string index_store;
  // With index_dir: how many leaves past its state the index may be
  // extended to cite (vindex::CiteModels); further behind, the findings are
  // recorded without a citation and CheckResult::uncited says why.
  // Default: 0, the server's limit (api::index::IndexHost::kMaxStepLeaves).
  uint64_t index_max_extension = 0;
  // With record: LedgerOptions::signed_state_dir (the log key's signed state
  // kept outside the folder). Default: "" (beside the log key).
  std::string signed_state_dir;
  // Integration-time source when recording. Not owned. Default: real clock.
  common::Clock* ledger_clock = nullptr;
  // --version: print VersionText() instead of checking. Default: false.
  bool version = false;
  // Lines main prints on stderr: renamed flags used under their old names
  // (common/renamed_flag.h). Default: "".
  std::string deprecation_lines;
};

struct CheckResult {
  std::string origin;
  uint64_t checkpoint_size = 0;  // entries evaluated come from [0, this)
  uint64_t ledger_size = 0;
  uint64_t entries_evaluated = 0;
  absl::Time clock;  // the evaluation clock
  std::string rule_pack_version;
  // Raised findings, by model id then pack order.
  std::vector<aifl::rules::v1::Finding> findings;
  // With Options::record: what was appended (raised, changed or cleared),
  // and the first leaf index it went to.
  std::vector<aifl::rules::v1::Finding> recorded;
  uint64_t recorded_from_leaf = 0;
  // With Options::index_dir: why `recorded` carries no index citation (the
  // index is too far behind the ledger); OK otherwise. Run prints it on
  // stderr, as ledger_server logs it.
  absl::Status uncited;
  // Findings at or above Options::fail_on.
  size_t failing = 0;
  // Leaves not evaluated because their signer was not enrolled at them
  // (compliance/leaf_entry.h); the report lists the first ones.
  compliance::NotEvidenceTally not_evidence;
  // With Options::check_recorded: the recorded findings compared with the
  // replay.
  std::optional<RecordedEvidenceCheck> recorded_evidence;
  // Set when the ledger's integration times follow a simulated clock
  // (Ledger::simulated_clock_since): the report says so in its header.
  std::optional<uint64_t> simulated_clock_since;
};

// Opens the ledger (read-only unless recording), verifies its latest
// checkpoint and that the leaves reproduce its root, evaluates, and records
// when asked. Errors: kInvalidArgument for bad options; kNotFound for a
// missing ledger, pack or key; kDataLoss when a check or the audit fails;
// kPermissionDenied when the rules key is not an enrolled rules key.
absl::StatusOr<CheckResult> Check(const Options& options);

// Check(), then the report on `out`; returns the exit code. Errors are one
// line on `err`.
int Run(const Options& options, std::ostream& out, std::ostream& err);

// The --help text.
extern const char kUsage[];

// The --version text: the program and the rule pack it would use (its
// version and where it comes from). kNotFound / kInvalidArgument when that
// pack cannot be loaded.
absl::StatusOr<std::string> VersionText(const Options& options);

// Parses the command line (argv[0] excluded): --dir D, --model M,
// --as-of T (or --as_of), --json, --fail_on S, --audit, --check_recorded,
// --record, --rules_key K, --index_dir O, --index_store S, --pack P,
// --version; "--flag value" or "--flag=value". Sets
// `*help` for --help / -h. Relative paths are resolved against `cwd` when
// it is not empty (bazel run's BUILD_WORKING_DIRECTORY). `now` is the
// clock. kInvalidArgument naming the flag for anything else.
absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args,
                                  const std::string& cwd, absl::Time now,
                                  bool* help);

// Flag values: "info", "warning", "violation", "critical" (any case).
absl::StatusOr<aifl::rules::v1::Severity> ParseSeverity(absl::string_view s);
// RFC 3339, e.g. "2025-10-01T12:00:00Z" or "2025-10-01T14:00:00+02:00".
absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view s);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_COMPLIANCE_CHECK_H_
