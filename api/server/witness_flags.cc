#include "api/server/witness_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "ledger/witness_policy/policy.h"

ABSL_FLAG(std::string, witness_policy, "",
          "tlog-policy file (c2sp.org/tlog-policy) whose witness lines carry "
          "tlog-witness URLs: after each new checkpoint every witness is asked "
          "to cosign it, and the checkpoint is served with the cosignatures "
          "gathered (GetCheckpoint, tiles /checkpoint); empty: no witnesses");
ABSL_FLAG(absl::Duration, witness_timeout, absl::Seconds(5),
          "each add-checkpoint request, and the longest the checkpoint "
          "publisher waits for the witnesses after a checkpoint");
ABSL_FLAG(absl::Duration, witness_backoff_min, absl::Seconds(1),
          "a failing witness is asked again after this, doubling");
ABSL_FLAG(absl::Duration, witness_backoff_max, absl::Seconds(60),
          "the longest wait before asking a failing witness again");
ABSL_FLAG(bool, wait_for_quorum, true,
          "with --witness_policy: proof receipts (and waits for them) only "
          "on a checkpoint the policy's quorum cosigned; a waiter whose "
          "deadline passes gets DEADLINE_EXCEEDED naming the missing "
          "witnesses");

namespace api::server {

absl::Status WitnessOptionsFromFlags(ServerOptions* options) {
  const std::string path = absl::GetFlag(FLAGS_witness_policy);
  options->wait_for_quorum = absl::GetFlag(FLAGS_wait_for_quorum);
  WitnessCollectorOptions& w = options->witness_options;
  w.request_timeout = absl::GetFlag(FLAGS_witness_timeout);
  w.backoff_min = absl::GetFlag(FLAGS_witness_backoff_min);
  w.backoff_max = absl::GetFlag(FLAGS_witness_backoff_max);
  if (w.request_timeout <= absl::ZeroDuration() ||
      w.backoff_min <= absl::ZeroDuration() || w.backoff_max < w.backoff_min) {
    return absl::InvalidArgumentError(
        "--witness_timeout, --witness_backoff_min: want positive durations, "
        "--witness_backoff_max ≥ --witness_backoff_min");
  }
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<ledger::witness_policy::Policy> policy =
      ReadPolicyFlag("witness_policy", path);
  if (!policy.ok()) return policy.status();
  options->witness_policy = *std::move(policy);
  return absl::OkStatus();
}

absl::StatusOr<ledger::witness_policy::Policy> ReadPolicyFlag(
    absl::string_view flag, const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", text.status().message()));
  }
  absl::StatusOr<ledger::witness_policy::Policy> policy =
      ledger::witness_policy::ParsePolicy(*text);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, " ", path, ": ", policy.status().message()));
  }
  return policy;
}

}  // namespace api::server
