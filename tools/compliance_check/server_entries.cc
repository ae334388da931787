#include "tools/compliance_check/server_entries.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/roles.h"

namespace compliance_check {

absl::StatusOr<VerifiedEntries> ReadVerifiedEntriesFromServer(
    api::client::LedgerClient& client, std::optional<absl::Time> as_of) {
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint checkpoint,
                   client.LatestCheckpoint());
  // Roles and organisations of every key the server lists. A key's role
  // never changes, so the current list serves every leaf.
  ASSIGN_OR_RETURN(aifl::api::v1::ListKeysResponse listed, client.ListKeys());
  absl::flat_hash_map<ledger::crypto::KeyId, ledger::KeyInfo> keys;
  for (const aifl::api::v1::KeyRecord& k : listed.keys()) {
    if (k.key_id().size() != ledger::crypto::kKeyIdSize) {
      return absl::DataLossError("the server listed a malformed key id");
    }
    std::array<uint8_t, ledger::crypto::kKeyIdSize> id;
    std::copy(k.key_id().begin(), k.key_id().end(), id.begin());
    ledger::KeyInfo info;
    info.id = ledger::crypto::KeyId(id);
    if (!ledger::ParseRoleName(k.role(), &info.role).ok()) {
      return absl::DataLossError(
          absl::StrCat("the server listed key ", info.id.ToString(),
                       " with an unknown role \"", k.role(), "\""));
    }
    info.organisation = k.organisation();
    info.node = k.node();
    keys.emplace(info.id, std::move(info));
  }
  const KeyLookup lookup = [&](const ledger::crypto::KeyId& id) {
    auto it = keys.find(id);
    return it == keys.end() ? std::nullopt
                            : std::optional<ledger::KeyInfo>(it->second);
  };

  VerifiedEntries out;
  out.checkpoint_size = checkpoint.fields.size;
  out.ledger_size = checkpoint.fields.size;
  out.root = checkpoint.fields.root;
  ledger::merkle::CompactRange range;
  bool past_as_of = false;
  while (range.size() < checkpoint.fields.size) {
    const uint64_t want =
        std::min<uint64_t>(1000, checkpoint.fields.size - range.size());
    ASSIGN_OR_RETURN(
        std::vector<std::string> leaves,
        client.GetEntries(range.size(), static_cast<uint32_t>(want)));
    if (leaves.empty()) {
      return absl::DataLossError(absl::StrCat(
          "the server returned no leaves at ", range.size(),
          " although its checkpoint covers ", checkpoint.fields.size));
    }
    for (const std::string& leaf : leaves) {
      if (range.size() >= checkpoint.fields.size) break;
      const uint64_t index = range.size();
      range.Append(ledger::merkle::HashLeaf(leaf), nullptr);
      if (past_as_of) continue;  // still hashed: the root covers every leaf
      ASSIGN_OR_RETURN(rules::LedgerEntry entry,
                       EntryFromLeaf(index, leaf, lookup));
      if (as_of.has_value() && entry.integration_time > *as_of) {
        past_as_of = true;
        continue;
      }
      out.entries.push_back(std::move(entry));
    }
  }
  if (range.Root() != checkpoint.fields.root) {
    return absl::DataLossError(absl::StrCat(
        "the leaves the server sent do not reproduce its checkpoint root at "
        "size ",
        checkpoint.fields.size,
        ": it serves entries other than those it signed"));
  }
  return out;
}

}  // namespace compliance_check
