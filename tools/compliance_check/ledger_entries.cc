#include "tools/compliance_check/ledger_entries.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/merkle/compact_range.h"

namespace compliance_check {

absl::StatusOr<std::vector<rules::LedgerEntry>> ReadCheckpointedEntries(
    uint64_t size, const ledger::merkle::Hash& root, const LeafPages& pages,
    const KeyLookup& keys, std::optional<absl::Time> as_of,
    absl::string_view source, compliance::NotEvidenceTally* not_evidence) {
  std::vector<rules::LedgerEntry> entries;
  ledger::merkle::CompactRange range;
  bool past_as_of = false;
  while (range.size() < size) {
    const uint64_t start = range.size();
    const uint64_t want = std::min<uint64_t>(1000, size - start);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves, pages(start, want));
    if (leaves.empty() || leaves.size() > want) {
      return absl::DataLossError(absl::StrCat(
          source, " returned ", leaves.size(), " leaves from ", start,
          ", want 1..", want, " (its checkpoint covers ", size, ")"));
    }
    for (const std::string& leaf : leaves) {
      const uint64_t index = range.size();
      range.Append(ledger::merkle::HashLeaf(leaf), nullptr);
      if (past_as_of) continue;  // still hashed: the root covers every leaf
      ASSIGN_OR_RETURN(compliance::ConvertedLeaf c,
                       compliance::ConvertLeaf(index, leaf, keys));
      if (as_of.has_value() && c.entry.integration_time > *as_of) {
        past_as_of = true;
        continue;
      }
      if (!c.evidence()) {
        not_evidence->Add(index, std::move(c.not_evidence));
        continue;
      }
      entries.push_back(std::move(c.entry));
    }
  }
  if (range.Root() != root) {
    return absl::DataLossError(
        absl::StrCat("the leaves ", source,
                     " returned do not reproduce the checkpoint root "
                     "at size ",
                     size, ": it serves entries other than those signed"));
  }
  return entries;
}

absl::StatusOr<VerifiedEntries> ReadVerifiedEntries(
    const ledger::Ledger& ledger, std::optional<absl::Time> as_of) {
  ASSIGN_OR_RETURN(std::string note, ledger.LatestCheckpoint());
  absl::StatusOr<ledger::CheckpointFields> fields =
      ledger.VerifyCheckpointNote(note);
  if (!fields.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the latest checkpoint does not verify: ", fields.status().message()));
  }
  VerifiedEntries out;
  out.checkpoint_size = fields->size;
  out.ledger_size = ledger.Size();
  out.root = fields->root;
  const KeyLookup keys = [&ledger](const ledger::crypto::KeyId& id) {
    return ledger.FindKey(id);
  };
  const LeafPages pages = [&ledger](uint64_t start, uint64_t count) {
    return ledger.GetLeaves(start, count);
  };
  ASSIGN_OR_RETURN(out.entries, ReadCheckpointedEntries(
                                    fields->size, fields->root, pages, keys,
                                    as_of, "the ledger", &out.not_evidence));
  return out;
}

}  // namespace compliance_check
