#include "api/client/log_audit.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/admission.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/compact_range.h"

namespace api::client {
namespace {

// The audit state carried from leaf to leaf.
struct Replay {
  std::string origin;
  ledger::KeyRegistry registry;
  int64_t last_time = 0;
};

// Checks leaf `index` and folds it into `replay`; the problem, if any.
absl::Status CheckLeaf(uint64_t index, absl::string_view bytes,
                       Replay& replay) {
  absl::StatusOr<ledger::entry::Leaf> leaf = ledger::entry::ParseLeaf(bytes);
  if (!leaf.ok()) return leaf.status();
  if (leaf->integration_time_micros < replay.last_time) {
    return absl::DataLossError("integration time goes backwards");
  }
  replay.last_time = leaf->integration_time_micros;
  ASSIGN_OR_RETURN(ledger::entry::Envelope envelope,
                   ledger::entry::ParseEnvelope(leaf->envelope));
  ASSIGN_OR_RETURN(
      ledger::Admission admitted,
      ledger::Admit(replay.registry, envelope, index, replay.origin,
                    ledger::AdmissionMode::kReplay));
  RETURN_IF_ERROR(admitted.signer_key.Verify(
      ledger::entry::SignedMessage(replay.origin, envelope.key_id,
                                   envelope.sequence, envelope.payload_type,
                                   envelope.payload),
      envelope.signature));
  return replay.registry.Apply(envelope, index,
                               admitted.event ? &*admitted.event : nullptr);
}

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
  Replay replay;
  replay.origin = at.fields.origin;
  ledger::merkle::CompactRange range;
  const uint64_t size = at.fields.size;
  while (range.size() < size) {
    const uint64_t start = range.size();
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
    for (const VerifiedLeaf& leaf : *page) {
      const uint64_t index = range.size();
      if (leaf.index != index || index >= size) {
        return Fail(report, std::nullopt,
                    absl::StrCat(reader.Source(), " returned leaf ", leaf.index,
                                 " where leaf ", index, " was due"));
      }
      absl::Status checked = CheckLeaf(index, leaf.leaf, replay);
      if (!checked.ok()) {
        return Fail(report, index,
                    absl::StrCat("leaf ", index, ": ", checked.message()));
      }
      range.Append(ledger::merkle::HashLeaf(leaf.leaf), nullptr);
      if (options.visit) {
        RETURN_IF_ERROR(options.visit(index, leaf.leaf, replay.registry));
      }
    }
    report.entries = range.size();
    if (options.progress) options.progress(report.entries, size);
  }
  report.root = range.Root();
  if (report.root != at.fields.root) {
    return Fail(report, std::nullopt,
                absl::StrCat("the leaves ", reader.Source(),
                             " holds do not reproduce the checkpoint root at "
                             "size ",
                             size));
  }
  report.ok = true;
  return report;
}

}  // namespace api::client
