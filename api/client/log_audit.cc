#include "api/client/log_audit.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/leaf_replay.h"
#include "ledger/merkle/compact_range.h"

namespace api::client {
namespace {

LogAuditReport Fail(LogAuditReport report, std::optional<uint64_t> index,
                    std::string problem) {
  report.ok = false;
  report.first_bad_index = index;
  report.problem = std::move(problem);
  return report;
}

}  // namespace

absl::StatusOr<LogAuditReport> AuditLog(LogReader& reader,
                                        const VerifiedCheckpoint& at,
                                        const LogAuditOptions& options) {
  LogAuditReport report;
  // The per-leaf checks are the local audit's own (ledger/leaf_replay.h),
  // one page at a time, its signatures on `threads` threads.
  ledger::LeafReplay replay(at.fields.origin, options.threads,
                            options.verify_signatures);
  const uint64_t size = at.fields.size;
  std::vector<std::string> leaves;
  while (replay.leaves_done() < size) {
    const uint64_t start = replay.leaves_done();
    absl::StatusOr<std::vector<VerifiedLeaf>> page =
        reader.ReadLeaves(at, start, std::max<uint64_t>(1, options.page));
    if (absl::IsDataLoss(page.status())) {
      return Fail(report, std::nullopt, std::string(page.status().message()));
    }
    RETURN_IF_ERROR(page.status());
    if (page->empty()) {
      return Fail(report, std::nullopt,
                  absl::StrCat(reader.Source(), " returned no leaves from ",
                               start, " though the checkpoint covers ", size));
    }
    leaves.clear();
    for (VerifiedLeaf& leaf : *page) {
      const uint64_t index = start + leaves.size();
      if (leaf.index != index || index >= size) {
        return Fail(report, std::nullopt,
                    absl::StrCat(reader.Source(), " returned leaf ", leaf.index,
                                 " where leaf ", index, " was due"));
      }
      leaves.push_back(std::move(leaf.leaf));
    }
    absl::Status visited;
    const auto observe = [&](uint64_t index,
                             const ledger::merkle::CompactRange&, auto) {
      if (options.visit && visited.ok()) {
        visited =
            options.visit(index, leaves[index - start], replay.registry());
      }
    };
    if (std::optional<ledger::LeafFailure> bad =
            replay.Replay(leaves, observe)) {
      return Fail(report, bad->index, std::move(bad->problem));
    }
    RETURN_IF_ERROR(visited);
    report.entries = replay.leaves_done();
    if (options.progress) options.progress(report.entries, size);
  }
  report.root = replay.range().Root();
  if (report.root != at.fields.root) {
    return Fail(report, std::nullopt,
                absl::StrCat("the leaves ", reader.Source(),
                             " holds do not reproduce the checkpoint root at "
                             "size ",
                             size));
  }
  // The key that signed the checkpoint must be the one the leaves announce
  // for its size (LogKey events), not merely the one the caller trusted.
  const ledger::LogKeyHistory& log_keys = replay.registry().log_keys();
  if (!log_keys.empty() && !at.note.empty()) {
    absl::Status signed_by_log_key =
        log_keys.VerifyCheckpoint(at.note, at.fields.origin, false).status();
    if (!signed_by_log_key.ok()) {
      return Fail(report, std::nullopt,
                  absl::StrCat("the checkpoint of size ", size,
                               " is not signed by the log key its leaves "
                               "announce for that size: ",
                               signed_by_log_key.message()));
    }
  }
  report.ok = true;
  return report;
}

}  // namespace api::client
