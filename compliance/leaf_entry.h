// The one conversion of a verified ledger leaf into the rules engine's input
// (rules/ledger_entry.h): parses the leaf and its envelope and takes the
// signer's role and organisation from the key registry. Used by
// compliance_check (leaves read from a folder or a server) and by the ledger
// server's fold (compliance/log_fold.h), so the two cannot disagree.
//
// Which leaves are evidence: a leaf is evidence only when its signer was
// enrolled in the log's key registry at that leaf: enrolled at an earlier
// leaf (or at leaf 0 by the genesis entry, which enrols its own signer) and
// not revoked at an earlier leaf (a key may sign the entry that revokes it).
// That is the admission rule (ledger/admission.h), so in a log that kept it
// every leaf is evidence. A leaf whose signer the registry does not know, or
// knows only from a later leaf or as revoked before it, is NOT evidence: it
// is neither folded nor dropped in silence, but returned with the reason, for
// the caller to count (NotEvidenceTally) and report. It can only appear when
// the registry consulted is not the log's (a server that omits a key from
// ListKeys) or the log broke its own admission rule. Before this, the same
// leaf stopped compliance_check and the server's rules runner (kDataLoss) but
// was folded by the server's model view under no role.
//
// Pure: no storage, no clock. Thread-compatible.
#ifndef COMPLIANCE_LEAF_ENTRY_H_
#define COMPLIANCE_LEAF_ENTRY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/crypto/key_id.h"
#include "ledger/key_registry.h"
#include "rules/ledger_entry.h"

namespace compliance {

// The key registry's state as the conversion needs it: the key with this id
// (role, organisation, enrolled_at_leaf, revoked_at_leaf), or nullopt when
// the registry does not list it. Ledger::FindKey locally; the server's
// ListKeys through a client.
using KeyLookup =
    std::function<std::optional<ledger::KeyInfo>(const ledger::crypto::KeyId&)>;

struct ConvertedLeaf {
  // The leaf as the rules engine takes it. When the leaf is not evidence,
  // signer_role is ROLE_UNSPECIFIED and signer_organisation empty.
  rules::LedgerEntry entry;
  // Empty when the leaf is evidence; otherwise why not, e.g. "signer key
  // 0123… is not in the key registry".
  std::string not_evidence;

  bool evidence() const { return not_evidence.empty(); }
};

// Converts the leaf at `index` (its exact bytes). kDataLoss, naming the leaf,
// when the leaf or its envelope does not parse (a verified leaf always
// does). Whether the signer makes it evidence: see the file comment.
absl::StatusOr<ConvertedLeaf> ConvertLeaf(uint64_t index,
                                          absl::string_view leaf_bytes,
                                          const KeyLookup& keys);

// Counts the leaves that are not evidence and keeps the first few reasons,
// for a report line or a log event.
class NotEvidenceTally {
 public:
  static constexpr size_t kKept = 10;

  struct Leaf {
    uint64_t index = 0;
    std::string why;
  };

  void Add(uint64_t index, std::string why);

  uint64_t count() const { return count_; }
  // The first kKept, in the order added.
  const std::vector<Leaf>& first() const { return first_; }
  // "" when none; otherwise e.g. "2 leaves are not evidence (signer not
  // enrolled at that leaf), left out: leaf 7: …; leaf 9: …".
  std::string Summary() const;

 private:
  uint64_t count_ = 0;
  std::vector<Leaf> first_;
};

}  // namespace compliance

#endif  // COMPLIANCE_LEAF_ENTRY_H_
