#include "tools/compliance_check/ledger_entries.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

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

}  // namespace compliance_check
