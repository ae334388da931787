#include "tools/compliance_check/server_entries.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
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
    // When it could sign: leaves outside are not evidence (leaf_entry.h).
    info.enrolled_at_leaf = k.enrolled_at_leaf();
    if (k.revoked()) info.revoked_at_leaf = k.revoked_at_leaf();
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
  const LeafPages pages = [&client](uint64_t start, uint64_t count) {
    return client.GetEntries(start, static_cast<uint32_t>(count));
  };
  ASSIGN_OR_RETURN(out.entries,
                   ReadCheckpointedEntries(
                       checkpoint.fields.size, checkpoint.fields.root, pages,
                       lookup, as_of, "the server", &out.not_evidence));
  return out;
}

}  // namespace compliance_check
