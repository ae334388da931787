#include "api/client/log_audit.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/leaf_replay.h"

namespace api::client {
namespace {

// Leaves replayed per chunk (signatures verified together).
constexpr uint64_t kChunk = 4096;

ledger::AuditReport Fail(ledger::AuditReport report,
                         std::optional<uint64_t> index, std::string problem) {
  report.ok = false;
  report.first_bad_index = index;
  report.problem = std::move(problem);
  return report;
}

}  // namespace

absl::StatusOr<ledger::AuditReport> AuditLog(
    LogReader& reader, const ledger::AuditOptions& options) {
  ledger::AuditReport report;
  absl::StatusOr<VerifiedCheckpoint> latest = reader.LatestCheckpoint();
  if (absl::IsDataLoss(latest.status())) {
    return Fail(report, std::nullopt, std::string(latest.status().message()));
  }
  RETURN_IF_ERROR(latest.status());
  const uint64_t size = latest->fields.size;
  report.latest_checkpoint_size = size;
  ledger::LeafReplay replay(reader.Origin(), options.threads);
  std::vector<std::string> chunk;
  for (uint64_t start = 0; start < size;) {
    const uint64_t end = std::min(size, start + kChunk);
    chunk.clear();
    while (start + chunk.size() < end) {
      absl::StatusOr<std::vector<VerifiedLeaf>> leaves = reader.ReadLeaves(
          *latest, start + chunk.size(), end - start - chunk.size());
      if (absl::IsDataLoss(leaves.status())) {
        return Fail(report, std::nullopt,
                    std::string(leaves.status().message()));
      }
      RETURN_IF_ERROR(leaves.status());
      for (VerifiedLeaf& leaf : *leaves) chunk.push_back(std::move(leaf.leaf));
    }
    if (std::optional<ledger::LeafFailure> bad = replay.Replay(chunk)) {
      return Fail(report, bad->index, std::move(bad->problem));
    }
    start = end;
    report.entries = end;
    if (options.progress) options.progress(end, size);
  }
  report.root = replay.range().Root();
  if (report.root != latest->fields.root) {
    return Fail(report, std::nullopt,
                absl::StrCat("the leaves do not reproduce the checkpoint "
                             "root at size ",
                             size));
  }
  report.checkpoints = 1;
  const ledger::LogKeyHistory& log_keys = replay.registry().log_keys();
  if (log_keys.empty()) {
    return Fail(report, std::nullopt, "no log key has been announced");
  }
  absl::StatusOr<ledger::CheckpointFields> signed_by_log_key =
      log_keys.VerifyCheckpoint(latest->note, reader.Origin(),
                                /*handover=*/false);
  if (!signed_by_log_key.ok()) {
    return Fail(report, std::nullopt,
                absl::StrCat("the latest checkpoint is not signed by the log "
                             "key the leaves announce for its size: ",
                             signed_by_log_key.status().message()));
  }
  report.ok = true;
  return report;
}

}  // namespace api::client
