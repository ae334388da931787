#include "api/client/folder_log_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/log_reader_checks.h"
#include "common/status_macros.h"

namespace api::client {

using ledger::CheckpointFields;
using ledger::merkle::Hash;

namespace {
// Ledger::GetLeaves serves at most this many leaves per call.
constexpr uint64_t kMaxPage = 1000;
}  // namespace

FolderLogReader::FolderLogReader(std::unique_ptr<ledger::Ledger> owned,
                                 const ledger::Ledger* ledger, std::string dir,
                                 LogVerifier verifier)
    : owned_(std::move(owned)),
      ledger_(ledger),
      dir_(std::move(dir)),
      verifier_(std::move(verifier)) {}

absl::StatusOr<std::unique_ptr<FolderLogReader>> FolderLogReader::Open(
    const std::string& dir, const std::string& signed_state_dir) {
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  options.signed_state_dir = signed_state_dir;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> opened,
                   ledger::Ledger::Open(options));
  ASSIGN_OR_RETURN(LogVerifier verifier,
                   LogVerifier::Create(opened->VerifierKey()));
  const ledger::Ledger* raw = opened.get();
  return std::unique_ptr<FolderLogReader>(
      new FolderLogReader(std::move(opened), raw, dir, std::move(verifier)));
}

absl::StatusOr<std::unique_ptr<FolderLogReader>> FolderLogReader::Wrap(
    const ledger::Ledger& ledger, const std::string& dir) {
  ASSIGN_OR_RETURN(LogVerifier verifier,
                   LogVerifier::Create(ledger.VerifierKey()));
  return std::unique_ptr<FolderLogReader>(
      new FolderLogReader(nullptr, &ledger, dir, std::move(verifier)));
}

std::string FolderLogReader::Source() const {
  return absl::StrCat("folder ", dir_);
}

std::string FolderLogReader::Origin() const { return ledger_->origin(); }

absl::Status FolderLogReader::Damaged(const absl::Status& status) const {
  if (status.ok() || status.code() != absl::StatusCode::kDataLoss) {
    return status;
  }
  return absl::DataLossError(
      absl::StrCat("ledger folder ", dir_, ": ", status.message()));
}

absl::StatusOr<VerifiedCheckpoint> FolderLogReader::Accept(
    absl::string_view note, bool latest) {
  // The log key for the note's size, from the folder's log-key history.
  absl::StatusOr<CheckpointFields> fields = ledger_->VerifyCheckpointNote(note);
  if (!fields.ok()) {
    return Damaged(absl::DataLossError(absl::StrCat(
        "checkpoint does not verify: ", fields.status().message())));
  }
  VerifiedCheckpoint checkpoint{*std::move(fields), std::string(note)};
  const CheckpointFields& got = checkpoint.fields;
  if (!trusted_.has_value()) {
    trusted_ = checkpoint;
    return checkpoint;
  }
  const CheckpointFields known = trusted_->fields;
  if (got.size == known.size) {
    if (got.root != known.root) {
      return Damaged(ForkError(got.size, got.root, known.root));
    }
    return checkpoint;
  }
  if (got.size < known.size) {
    if (latest) {
      return Damaged(absl::DataLossError(
          absl::StrCat("rolled back from size ", known.size, " to ", got.size,
                       ": its latest checkpoint is older than one "
                       "this reader already verified")));
    }
    RETURN_IF_ERROR(Consistency(got, known).status());
    return checkpoint;
  }
  RETURN_IF_ERROR(Consistency(known, got).status());
  trusted_ = checkpoint;
  return checkpoint;
}

absl::StatusOr<VerifiedCheckpoint> FolderLogReader::LatestCheckpoint() {
  ASSIGN_OR_RETURN(std::string note, ledger_->LatestCheckpoint());
  return Accept(note, /*latest=*/true);
}

absl::StatusOr<VerifiedCheckpoint> FolderLogReader::CheckpointAt(
    uint64_t size) {
  if (size == 0) {
    return absl::InvalidArgumentError("checkpoint size: got 0, want > 0");
  }
  ASSIGN_OR_RETURN(std::string note, ledger_->CheckpointAt(size));
  ASSIGN_OR_RETURN(VerifiedCheckpoint checkpoint,
                   Accept(note, /*latest=*/false));
  if (checkpoint.fields.size != size) {
    return Damaged(absl::DataLossError(
        absl::StrCat("the checkpoint stored for size ", size, " has size ",
                     checkpoint.fields.size)));
  }
  return checkpoint;
}

absl::StatusOr<std::vector<Hash>> FolderLogReader::Consistency(
    const CheckpointFields& older, const CheckpointFields& newer) const {
  std::vector<Hash> proof;
  if (older.size != 0 && older.size < newer.size) {
    absl::StatusOr<std::vector<Hash>> read =
        ledger_->ConsistencyProof(older.size, newer.size);
    if (!read.ok()) return Damaged(read.status());
    proof = *std::move(read);
  }
  RETURN_IF_ERROR(Damaged(verifier_.VerifyConsistency(older, newer, proof)));
  return proof;
}

absl::StatusOr<std::vector<Hash>> FolderLogReader::Inclusion(
    const VerifiedCheckpoint& at, uint64_t index,
    absl::string_view leaf) const {
  absl::StatusOr<std::vector<Hash>> proof =
      ledger_->InclusionProof(index, at.fields.size);
  if (!proof.ok()) return Damaged(proof.status());
  RETURN_IF_ERROR(Damaged(verifier_.VerifyInclusion(
      index, ledger::merkle::HashLeaf(leaf), *proof, at.fields)));
  return proof;
}

absl::StatusOr<std::vector<VerifiedLeaf>> FolderLogReader::ReadLeaves(
    const VerifiedCheckpoint& at, uint64_t start, uint64_t max_count) {
  RETURN_IF_ERROR(CheckLeafInTree(at, start));
  const uint64_t size = at.fields.size;
  const uint64_t n = std::min({max_count, size - start, kMaxPage});
  absl::StatusOr<std::vector<std::string>> leaves =
      ledger_->GetLeaves(start, n);
  if (!leaves.ok()) return Damaged(leaves.status());
  if (leaves->size() != n) {
    return Damaged(absl::DataLossError(
        absl::StrCat("asked for ", n, " leaves from ", start, ", read ",
                     leaves->size(), " (the checkpoint covers ", size, ")")));
  }
  std::vector<VerifiedLeaf> out;
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    RETURN_IF_ERROR(Inclusion(at, start + i, (*leaves)[i]).status());
    out.push_back(VerifiedLeaf{start + i, std::move((*leaves)[i])});
  }
  return out;
}

absl::StatusOr<ProvenLeaf> FolderLogReader::ProveLeaf(
    const VerifiedCheckpoint& at, uint64_t index) {
  RETURN_IF_ERROR(CheckLeafInTree(at, index));
  absl::StatusOr<std::string> leaf = ledger_->GetLeaf(index);
  if (!leaf.ok()) return Damaged(leaf.status());
  ProvenLeaf out;
  out.index = index;
  out.leaf = *std::move(leaf);
  ASSIGN_OR_RETURN(out.proof, Inclusion(at, index, out.leaf));
  return out;
}

absl::StatusOr<std::vector<Hash>> FolderLogReader::ProveConsistency(
    const VerifiedCheckpoint& older, const VerifiedCheckpoint& newer) {
  RETURN_IF_ERROR(CheckConsistencyOrder(older, newer));
  return Consistency(older.fields, newer.fields);
}

}  // namespace api::client
