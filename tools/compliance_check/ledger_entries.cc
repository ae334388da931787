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

absl::StatusOr<VerifiedEntries> ReadVerifiedEntries(
    const ledger::Ledger& ledger, std::optional<absl::Time> as_of) {
  ASSIGN_OR_RETURN(std::string note, ledger.LatestCheckpoint());
  absl::StatusOr<ledger::CheckpointFields> fields =
      ledger::VerifyCheckpoint(note, ledger.origin(), ledger.log_public_key());
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
  ledger::merkle::CompactRange range;
  bool past_as_of = false;
  for (uint64_t start = 0; start < fields->size; start += 1000) {
    const uint64_t count = std::min<uint64_t>(1000, fields->size - start);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                     ledger.GetLeaves(start, count));
    if (leaves.size() != count) {
      return absl::DataLossError(absl::StrCat("leaves from ", start, ": got ",
                                              leaves.size(), ", want ", count));
    }
    for (uint64_t i = 0; i < count; ++i) {
      range.Append(ledger::merkle::HashLeaf(leaves[i]), nullptr);
      if (past_as_of) continue;  // still hashed, for the root check
      ASSIGN_OR_RETURN(rules::LedgerEntry e,
                       EntryFromLeaf(start + i, leaves[i], keys));
      if (as_of.has_value() && e.integration_time > *as_of) {
        past_as_of = true;
        continue;
      }
      out.entries.push_back(std::move(e));
    }
  }
  if (range.Root() != fields->root) {
    return absl::DataLossError(
        absl::StrCat("the leaves do not reproduce the checkpoint root at size ",
                     fields->size));
  }
  return out;
}

}  // namespace compliance_check
