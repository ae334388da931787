#include "tools/compliance_check/ledger_entries.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/compact_range.h"

namespace compliance_check {

absl::StatusOr<rules::LedgerEntry> EntryFromLeaf(uint64_t index,
                                                 absl::string_view leaf_bytes,
                                                 const KeyLookup& keys) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", leaf.status().message()));
  }
  absl::StatusOr<ledger::entry::Envelope> env =
      ledger::entry::ParseEnvelope(leaf->envelope);
  if (!env.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": envelope: ", env.status().message()));
  }
  const ledger::crypto::KeyId key_id(env->key_id);
  const std::optional<ledger::KeyInfo> info = keys(key_id);
  if (!info.has_value()) {
    return absl::DataLossError(absl::StrCat("leaf ", index, ": signer key ",
                                            key_id.ToString(),
                                            " is not in the key registry"));
  }
  rules::LedgerEntry e;
  e.leaf_index = index;
  e.integration_time = leaf->integration_time();
  e.signer_role = info->role;
  e.signer_organisation = info->organisation;
  e.payload_type = std::move(env->payload_type);
  e.payload = std::move(env->payload);
  return e;
}

absl::StatusOr<std::vector<rules::LedgerEntry>> ReadCheckpointedEntries(
    uint64_t size, const ledger::merkle::Hash& root, const LeafPages& pages,
    const KeyLookup& keys, std::optional<absl::Time> as_of,
    absl::string_view source) {
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
      ASSIGN_OR_RETURN(rules::LedgerEntry e, EntryFromLeaf(index, leaf, keys));
      if (as_of.has_value() && e.integration_time > *as_of) {
        past_as_of = true;
        continue;
      }
      entries.push_back(std::move(e));
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
  ASSIGN_OR_RETURN(out.entries,
                   ReadCheckpointedEntries(fields->size, fields->root, pages,
                                           keys, as_of, "the ledger"));
  return out;
}

}  // namespace compliance_check
