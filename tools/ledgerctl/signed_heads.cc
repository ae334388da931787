#include "tools/ledgerctl/signed_heads.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/ledger.h"
#include "ledger/signed_head_check.h"
#include "ledger/signed_state.h"
#include "tools/ledgerctl/file_io.h"

namespace ledgerctl {
namespace {

absl::StatusOr<std::unique_ptr<ledger::Ledger>> OpenReadOnly(
    const std::string& dir) {
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  return ledger::Ledger::Open(options);
}

// The verified fields of the checkpoint note in `path`.
absl::StatusOr<ledger::CheckpointFields> ReadCheckpointFile(
    const ledger::Ledger& ledger, const std::string& path) {
  ASSIGN_OR_RETURN(std::string note, common::ReadWholeFile(path));
  absl::StatusOr<ledger::CheckpointFields> fields =
      ledger.VerifyCheckpointNote(note);
  if (!fields.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "--checkpoint ", path,
        " is not a checkpoint of this log: ", fields.status().message()));
  }
  return fields;
}

std::string StatePath(const std::string& dir,
                      const std::string& signed_state_dir) {
  return ledger::SignedStatePath(ledger::DefaultLogKeyPath(dir),
                                 signed_state_dir);
}

}  // namespace

absl::StatusOr<SignedHeadsReport> CompareSignedHeads(
    const std::string& dir, const std::string& signed_state_dir,
    const std::string& checkpoint_file) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> ledger, OpenReadOnly(dir));
  SignedHeadsReport report;
  auto add = [&](const ledger::HeadComparison& c) {
    report.ok = report.ok && c.ok();
    report.lines.push_back(c.message);
  };
  const std::string state_path = StatePath(dir, signed_state_dir);
  ASSIGN_OR_RETURN(std::optional<ledger::SignedState> state,
                   ledger::ReadSignedState(state_path));
  if (!state.has_value()) {
    report.lines.push_back(absl::StrCat(
        "signed state ", state_path,
        ": missing (a server refuses to sign until it is restored; see "
        "`ledgerctl restore-signed-state`)"));
  } else {
    ASSIGN_OR_RETURN(ledger::HeadComparison c,
                     ledger::CompareTreeWithSignedHead(
                         *ledger, absl::StrCat("the signed state ", state_path),
                         state->size, state->root));
    add(c);
  }
  if (!checkpoint_file.empty()) {
    ASSIGN_OR_RETURN(ledger::CheckpointFields fields,
                     ReadCheckpointFile(*ledger, checkpoint_file));
    ASSIGN_OR_RETURN(
        ledger::HeadComparison c,
        ledger::CompareTreeWithSignedHead(
            *ledger, absl::StrCat("the checkpoint ", checkpoint_file),
            fields.size, fields.root));
    add(c);
  }
  return report;
}

absl::Status RestoreSignedState(const std::string& dir,
                                const std::string& signed_state_dir,
                                const std::string& checkpoint_file,
                                std::ostream& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> ledger, OpenReadOnly(dir));
  const std::string state_path = StatePath(dir, signed_state_dir);
  ASSIGN_OR_RETURN(std::optional<ledger::SignedState> existing,
                   ledger::ReadSignedState(state_path));
  if (existing.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat(state_path, " exists (size ", existing->size,
                     "); it is never overwritten"));
  }
  ledger::CheckpointFields newest{ledger->origin(), 0, {}};
  std::string source = "none";
  if (auto stored = ledger->LatestCheckpoint(); stored.ok()) {
    ASSIGN_OR_RETURN(newest, ledger->VerifyCheckpointNote(*stored));
    source = "the latest stored checkpoint";
  }
  if (!checkpoint_file.empty()) {
    ASSIGN_OR_RETURN(ledger::CheckpointFields published,
                     ReadCheckpointFile(*ledger, checkpoint_file));
    if (published.size >= newest.size) {
      newest = published;
      source = checkpoint_file;
    }
  }
  if (source == "none") {
    return absl::FailedPreconditionError(
        "nothing was signed yet: no signed state is needed");
  }
  ASSIGN_OR_RETURN(ledger::HeadComparison c,
                   ledger::CompareTreeWithSignedHead(*ledger, source,
                                                     newest.size, newest.root));
  if (!c.ok()) {
    return absl::DataLossError(absl::StrCat(
        c.message,
        "; get the missing entries back (a newer backup or a mirror) before "
        "this log signs again"));
  }
  RETURN_IF_ERROR(ledger::WriteSignedState(
      state_path, {ledger->origin(), newest.size, newest.root}));
  out << "signed state " << state_path << " written from " << source
      << ": size " << newest.size << "\n";
  return absl::OkStatus();
}

}  // namespace ledgerctl
