// A bounded answer to "what are model M's totals" (index/FORMAT.md,
// "Totals answers"; map version 2): the output log's last leaf (the latest
// IndexUpdate) with its inclusion proof in an output checkpoint, and the
// map proof of M's value (count, list root, totals hash) with the totals'
// bytes. Its size does not grow with M's entries: ~1 KB whether M has ten
// entries or ten million. A client that checks it trusts the totals as far
// as it trusts the index's output log (its signers, witnesses, and whoever
// replays it with verify-index); the entries themselves are not in it.
//
// Pure functions except MakeTotalsAnswer (reads its arguments).
#ifndef INDEX_TOTALS_ANSWER_H_
#define INDEX_TOTALS_ANSWER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/index_builder.h"
#include "index/model_totals.h"
#include "index/output_log.h"
#include "ledger/ledger.h"

namespace vindex {

struct TotalsAnswer {
  uint64_t output_leaf_index = 0;
  std::string output_leaf;
  std::vector<Hash> output_proof;  // inclusion in the output checkpoint
  std::string map_proof;           // EncodeMapProof bytes (membership)
  uint64_t count = 0;              // the model's list: count and root
  Hash list_root{};
  std::string totals;  // EncodeTotals bytes
};

// The bytes of `a` (FORMAT.md, "Totals answers") and back; only the
// canonical encoding parses (kInvalidArgument otherwise).
std::string EncodeTotalsAnswer(const TotalsAnswer& a);
absl::StatusOr<TotalsAnswer> DecodeTotalsAnswer(absl::string_view bytes);

// The answer for `model_id` from a version 2 index (`builder`, whose state
// the output log's last leaf of the tree of `output_size` records).
// kFailedPrecondition for a version 1 index or an output log whose last
// update is not the builder's state; kNotFound for a model not in the map.
absl::StatusOr<TotalsAnswer> MakeTotalsAnswer(const IndexBuilder& builder,
                                              const ledger::Ledger& output,
                                              uint64_t output_size,
                                              absl::string_view model_id);

struct VerifiedTotals {
  IndexUpdate update;  // the index state the totals are from
  uint64_t count = 0;
  Hash list_root{};
  ModelTotals totals;
};

// Verifies `a` for `model_id` against the output log's verified checkpoint
// (size, root): the leaf is the checkpoint's last (else "stale index"), its
// inclusion, a version 2 IndexUpdate, the totals parse, and the map proof
// shows (count, list root, SHA-256(totals)) for the model. kDataLoss saying
// which check failed; kFailedPrecondition for another map version.
absl::StatusOr<VerifiedTotals> VerifyTotalsAnswer(const TotalsAnswer& a,
                                                  absl::string_view model_id,
                                                  uint64_t output_size,
                                                  const Hash& output_root);

}  // namespace vindex

#endif  // INDEX_TOTALS_ANSWER_H_
