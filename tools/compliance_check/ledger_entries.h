// The adapter from a ledger's leaves to the rules engine's input
// (rules/ledger_entry.h): parses each leaf and its envelope and looks the
// signer up in the key registry for its role and organisation. Where the
// leaves come from, verified, is log_entries.h.
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
#include "ledger/key_registry.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"
#include "rules/ledger_entry.h"

namespace compliance_check {

// Finds an enrolled key by id (Ledger::FindKey in production).
using KeyLookup =
    std::function<std::optional<ledger::KeyInfo>(const ledger::crypto::KeyId&)>;

// Converts the leaf at `index` (its exact bytes). kDataLoss when the leaf or
// its envelope does not parse or its key is not in the registry (the ledger
// accepted it, so its key must be known).
absl::StatusOr<rules::LedgerEntry> EntryFromLeaf(uint64_t index,
                                                 absl::string_view leaf_bytes,
                                                 const KeyLookup& keys);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_LEDGER_ENTRIES_H_
