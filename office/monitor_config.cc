#include "office/monitor_config.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/client/log_verifier.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/note/signed_note.h"

namespace office {
namespace {

absl::Status LineError(int line, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("config line ", line, ": ", why));
}

// The policy's logs always include `log`'s key, so the quorum check
// (VerifyCheckpointWithPolicy) accepts its signature.
absl::Status AddLogKey(const FollowedLog& log,
                       ledger::witness_policy::Policy* policy) {
  for (const ledger::witness_policy::PolicyLog& l : policy->logs) {
    if (l.verifier.VerifierKey() == log.vkey) return absl::OkStatus();
  }
  absl::StatusOr<ledger::note::NoteVerifier> v =
      ledger::note::NoteVerifier::FromVerifierKey(log.vkey);
  if (!v.ok()) return v.status();
  policy->logs.push_back({*std::move(v), log.tiles_url});
  return absl::OkStatus();
}

absl::StatusOr<FollowedLog> ParseLogLine(
    const std::vector<absl::string_view>& items, absl::string_view dir,
    const std::function<absl::StatusOr<std::string>(const std::string&)>&
        read_file) {
  if (items.size() < 3 || items.size() > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", items.size() - 1,
                     " items after \"log\", want <vkey> <tiles-url> "
                     "[<tlog-policy-file>]"));
  }
  FollowedLog log;
  absl::StatusOr<api::client::LogVerifier> verifier =
      api::client::LogVerifier::Create(items[1]);
  if (!verifier.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("vkey: ", verifier.status().message()));
  }
  log.origin = verifier->origin();
  log.vkey = std::string(items[1]);
  absl::string_view url = items[2];
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tiles URL: got \"", url, "\", want http://... or https://..."));
  }
  while (absl::EndsWith(url, "/")) url.remove_suffix(1);
  log.tiles_url = std::string(url);
  if (items.size() == 4) {
    log.policy_file =
        absl::StartsWith(items[3], "/")
            ? std::string(items[3])
            : absl::StrCat(dir.empty() ? "." : dir, "/", items[3]);
    absl::StatusOr<std::string> text = read_file(log.policy_file);
    if (!text.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "policy file ", log.policy_file, ": ", text.status().message()));
    }
    absl::StatusOr<ledger::witness_policy::Policy> policy =
        ledger::witness_policy::ParsePolicy(*text);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "policy file ", log.policy_file, ": ", policy.status().message()));
    }
    if (absl::Status added = AddLogKey(log, &*policy); !added.ok()) {
      return added;
    }
    log.policy = *std::move(policy);
  }
  return log;
}

// index <vkey> <tiles-url> <input-origin>: the output log, followed like a
// `log` line, and the origin of the log it indexes.
absl::StatusOr<FollowedLog> ParseIndexLine(
    const std::vector<absl::string_view>& items, absl::string_view dir,
    const std::function<absl::StatusOr<std::string>(const std::string&)>&
        read_file) {
  if (items.size() != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", items.size() - 1,
                     " items after \"index\", want <vkey> <tiles-url> "
                     "<input-origin>"));
  }
  ASSIGN_OR_RETURN(FollowedLog log, ParseLogLine({items[0], items[1], items[2]},
                                                 dir, read_file));
  log.index_of = std::string(items[3]);
  return log;
}

// Each index's input log must be a `log` line of the config (the replay
// reads it from the mirror).
absl::Status CheckIndexedLogs(const MonitorConfig& config,
                              const std::vector<int>& index_lines) {
  absl::flat_hash_set<std::string> logs;
  for (const FollowedLog& log : config.logs) {
    if (log.index_of.empty()) logs.insert(log.origin);
  }
  size_t next = 0;
  for (const FollowedLog& log : config.logs) {
    if (log.index_of.empty()) continue;
    if (!logs.contains(log.index_of)) {
      return LineError(
          index_lines[next],
          absl::StrCat("input origin \"", log.index_of.substr(0, 200),
                       "\" is not the origin of a \"log\" line"));
    }
    ++next;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MonitorConfig> ParseMonitorConfig(
    absl::string_view text, absl::string_view dir,
    const std::function<absl::StatusOr<std::string>(const std::string&)>&
        read_file) {
  MonitorConfig config;
  absl::flat_hash_set<std::string> origins;
  std::vector<int> index_lines;  // of the logs with index_of, in order
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const absl::string_view bare = absl::StripAsciiWhitespace(line);
    if (bare.empty() || absl::StartsWith(bare, "#")) continue;
    std::vector<absl::string_view> items =
        absl::StrSplit(bare, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (items[0] != "log" && items[0] != "index") {
      return LineError(
          number, absl::StrCat("unknown keyword \"", items[0].substr(0, 40),
                               "\", want \"log\" or \"index\""));
    }
    absl::StatusOr<FollowedLog> log =
        items[0] == "log" ? ParseLogLine(items, dir, read_file)
                          : ParseIndexLine(items, dir, read_file);
    if (!log.ok()) return LineError(number, log.status().message());
    if (!log->index_of.empty()) index_lines.push_back(number);
    if (!origins.insert(log->origin).second) {
      return LineError(
          number, absl::StrCat("origin \"", log->origin, "\" is listed twice"));
    }
    config.logs.push_back(*std::move(log));
  }
  if (config.logs.empty()) {
    return absl::InvalidArgumentError("config: no log listed");
  }
  RETURN_IF_ERROR(CheckIndexedLogs(config, index_lines));
  return config;
}

absl::StatusOr<MonitorConfig> ReadMonitorConfig(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ": ", text.status().message()));
  }
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "" : path.substr(0, slash);
  absl::StatusOr<MonitorConfig> config = ParseMonitorConfig(
      *text, dir,
      [](const std::string& p) { return common::ReadWholeFile(p); });
  if (!config.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace office
