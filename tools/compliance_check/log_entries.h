// compliance_check's one reading path, whatever holds the log (a folder,
// a server; tiles next): the rules engine's input read through a LogReader
// (api/client/open_log_reader.h) and AuditLog (api/client/log_audit.h). The
// latest checkpoint is verified, every leaf it covers is read and proven,
// the leaves must reproduce its root, and every entry is admitted and its
// signature checked under the key registry folded from the leaves — so the
// rules see exactly what the log signed, and a source cannot hide or change
// a fact. The signer's role and organisation come from that same registry.
#ifndef TOOLS_COMPLIANCE_CHECK_LOG_ENTRIES_H_
#define TOOLS_COMPLIANCE_CHECK_LOG_ENTRIES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/client/log_reader.h"
#include "ledger/merkle/hash.h"
#include "rules/ledger_entry.h"

namespace compliance_check {

struct VerifiedEntries {
  uint64_t checkpoint_size = 0;  // leaves covered by the latest checkpoint
  uint64_t ledger_size = 0;      // leaves in the log (a folder may hold more)
  ledger::merkle::Hash root{};   // the checkpoint's root, reproduced
  std::vector<rules::LedgerEntry> entries;  // leaves [0, checkpoint_size)
};

// Reads and converts the leaves of `reader`'s latest checkpoint. Entries
// integrated after `as_of` (when given) are left out (still read and
// checked: the root covers every leaf). Errors: kNotFound when the log has
// no checkpoint; kDataLoss naming the source and the problem when anything
// does not verify or a leaf does not convert; the source's errors
// otherwise.
absl::StatusOr<VerifiedEntries> ReadVerifiedEntries(
    api::client::LogReader& reader, std::optional<absl::Time> as_of);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_LOG_ENTRIES_H_
