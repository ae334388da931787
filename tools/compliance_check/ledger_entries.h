// The adapter from a ledger's leaves to the rules engine's input
// (rules/ledger_entry.h): parses each leaf and its envelope and looks the
// signer up in the key registry for its role and organisation. Reads only the
// leaves a verified checkpoint covers, and checks that they reproduce its
// Merkle root, so the rules see exactly what the log has signed.
//
// Lives here, not in rules/, because rules/ must not depend on storage.
// Thread-compatible: the Ledger it reads is thread-safe.
#ifndef TOOLS_COMPLIANCE_CHECK_LEDGER_ENTRIES_H_
#define TOOLS_COMPLIANCE_CHECK_LEDGER_ENTRIES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compliance/leaf_entry.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"
#include "rules/ledger_entry.h"

namespace compliance_check {

// The key registry as the conversion reads it (compliance/leaf_entry.h).
using KeyLookup = compliance::KeyLookup;

struct VerifiedEntries {
  uint64_t checkpoint_size = 0;  // leaves covered by the latest checkpoint
  uint64_t ledger_size = 0;      // leaves in the ledger (may be more)
  ledger::merkle::Hash root{};   // the checkpoint's root, reproduced
  std::vector<rules::LedgerEntry> entries;  // leaves [0, checkpoint_size)
  // Leaves left out because their signer was not enrolled at them
  // (compliance/leaf_entry.h); the report says so.
  compliance::NotEvidenceTally not_evidence;
};

// Returns up to `count` leaves from `start` (at least one unless failing):
// Ledger::GetLeaves locally, Audit.GetEntries through a server.
using LeafPages = std::function<absl::StatusOr<std::vector<std::string>>(
    uint64_t start, uint64_t count)>;

// Reads leaves [0, size) through `pages`, converts those integrated by
// `as_of` (all when nullopt) with compliance::ConvertLeaf, and checks that
// all `size` leaves hash to `root`, so the entries are exactly what the
// checkpoint signed. Leaves that are not evidence are left out and counted
// in `*not_evidence`. kDataLoss, naming `source` ("the ledger", "the
// server"), when a page is short or empty, a leaf does not parse, or the
// root differs.
absl::StatusOr<std::vector<rules::LedgerEntry>> ReadCheckpointedEntries(
    uint64_t size, const ledger::merkle::Hash& root, const LeafPages& pages,
    const KeyLookup& keys, std::optional<absl::Time> as_of,
    absl::string_view source, compliance::NotEvidenceTally* not_evidence);

// Verifies the latest checkpoint's signature under the log key, reads the
// leaves it covers (1000 at a time) and checks that they hash to its root.
// Entries integrated after `as_of` (when given) are left out; reading stops
// at the first one (integration times never decrease). Errors: kNotFound
// when the ledger has no checkpoint; kDataLoss when a leaf does not parse or
// the root differs; storage errors as they come.
absl::StatusOr<VerifiedEntries> ReadVerifiedEntries(
    const ledger::Ledger& ledger,
    std::optional<absl::Time> as_of = std::nullopt);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_LEDGER_ENTRIES_H_
