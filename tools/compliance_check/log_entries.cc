#include "tools/compliance_check/log_entries.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/log_audit.h"
#include "common/status_macros.h"
#include "tools/compliance_check/ledger_entries.h"

namespace compliance_check {

absl::StatusOr<VerifiedEntries> ReadVerifiedEntries(
    api::client::LogReader& reader, std::optional<absl::Time> as_of) {
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint checkpoint,
                   reader.LatestCheckpoint());
  VerifiedEntries out;
  out.checkpoint_size = checkpoint.fields.size;
  out.ledger_size = checkpoint.fields.size;
  out.root = checkpoint.fields.root;
  bool past_as_of = false;
  // The signers' roles and organisations: the registry folded from the
  // leaves up to the one being converted.
  const ledger::KeyRegistry* registry = nullptr;
  const KeyLookup keys = [&registry](const ledger::crypto::KeyId& id) {
    const ledger::KeyInfo* info = registry->Find(id);
    return info == nullptr ? std::nullopt
                           : std::optional<ledger::KeyInfo>(*info);
  };
  api::client::LogAuditOptions options;
  options.visit = [&](uint64_t index, absl::string_view leaf,
                      const ledger::KeyRegistry& folded) -> absl::Status {
    if (past_as_of) return absl::OkStatus();
    registry = &folded;
    ASSIGN_OR_RETURN(rules::LedgerEntry e, EntryFromLeaf(index, leaf, keys));
    if (as_of.has_value() && e.integration_time > *as_of) {
      past_as_of = true;  // integration times never decrease
      return absl::OkStatus();
    }
    out.entries.push_back(std::move(e));
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(api::client::LogAuditReport audit,
                   api::client::AuditLog(reader, checkpoint, options));
  if (!audit.ok) {
    return absl::DataLossError(
        absl::StrCat(reader.Source(), ": ", audit.problem));
  }
  return out;
}

}  // namespace compliance_check
