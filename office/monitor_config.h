// The office_monitor's configuration: the factory logs it follows
// (office/README.md, "Configuration"). One log per line:
//
//   # comment
//   log <vkey> <tiles-url> [<tlog-policy-file>]
//   index <vkey> <tiles-url> <input-origin>
//
// <vkey>: the log's note verifier key (its name is the origin);
// <tiles-url>: the C2SP tlog-tiles prefix, http:// or https://;
// <tlog-policy-file>: optional, relative to the config file's folder; when
// given, a checkpoint is accepted only with the policy's quorum of
// cosignatures (ledger/witness_policy). An `index` line is a verifiable
// index's output log (index/FORMAT.md), followed like a `log` line, whose
// updates are replayed over the mirror of <input-origin>, the origin of a
// `log` line, before they are mirrored (index_check.h). Items
// are separated by spaces or tabs; blank lines and lines starting with '#' are
// ignored. Every other line, a repeated origin, a bad key, URL or policy is an
// error naming the line.
#ifndef OFFICE_MONITOR_CONFIG_H_
#define OFFICE_MONITOR_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/witness_policy/policy.h"

namespace office {

struct FollowedLog {
  std::string origin;  // the vkey's name
  std::string vkey;
  std::string tiles_url;    // without a trailing '/'
  std::string policy_file;  // "" when none
  // Parsed policy file; its log list always holds this log's key.
  std::optional<ledger::witness_policy::Policy> policy;
  // For an `index` line: the origin of the log it indexes; "" otherwise.
  std::string index_of;
};

struct MonitorConfig {
  std::vector<FollowedLog> logs;
};

// Parses the config text. `read_file(path)` reads a policy file (paths are
// resolved against `dir`, the config file's folder, unless absolute).
// kInvalidArgument "config line N: ..." for any problem.
absl::StatusOr<MonitorConfig> ParseMonitorConfig(
    absl::string_view text, absl::string_view dir,
    const std::function<absl::StatusOr<std::string>(const std::string&)>&
        read_file);

// Reads and parses the config file at `path`.
absl::StatusOr<MonitorConfig> ReadMonitorConfig(const std::string& path);

}  // namespace office

#endif  // OFFICE_MONITOR_CONFIG_H_
