// A complete answer to "every entry about model M" (index/FORMAT.md,
// "Answers"), and its verification by a client that trusts only a checkpoint
// of the output log. The answer holds: the output log's last leaf (the
// latest IndexUpdate) with its inclusion proof, the map proof for M against
// that update's map root, M's whole list, and each listed entry with its
// inclusion proof in the input log at the update's input size. The client
// checks every proof, re-runs MapFn on each entry, and takes the prefix
// below an as-of size. An absent model gets a verified non-membership proof
// and an empty list.
//
// A long list travels in pages instead (model_page.h), built from the
// pieces below: the head (output leaf and map proof) and proven entries.
// Tying
// the update's input root to the client's own view of the input log (a
// consistency proof to a checkpoint it trusts) is the caller's step
// (api/index/input_tie.h).
//
// Pure functions except MakeModelAnswer (reads its arguments); thread-safe
// as far as those are.
#ifndef INDEX_MODEL_ANSWER_H_
#define INDEX_MODEL_ANSWER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "index/index_builder.h"
#include "index/output_log.h"
#include "ledger/ledger.h"

namespace vindex {

struct ProvenEntry {
  uint64_t index = 0;
  std::string leaf;         // the input log's leaf bytes (empty if redacted)
  std::vector<Hash> proof;  // inclusion in the input tree of the update
  // A redacted entry (FORMAT.md, "Redacted entries"; pages only): the
  // server withheld the leaf from a reader who may not read it and sent its
  // RFC 6962 leaf hash instead, which the inclusion proof still proves.
  bool redacted = false;
  Hash leaf_hash{};  // when redacted
};

// The entry with its leaf replaced by its leaf hash.
ProvenEntry Redact(ProvenEntry entry);

struct ModelAnswer {
  uint64_t output_leaf_index = 0;
  std::string output_leaf;
  std::vector<Hash> output_proof;    // inclusion in the output checkpoint
  std::string map_proof;             // EncodeMapProof bytes
  std::vector<uint64_t> list;        // the model's whole list
  std::vector<ProvenEntry> entries;  // one per list element, same order
};

// What every answer starts with: the output log's last leaf (the latest
// IndexUpdate) with its inclusion proof, and the map proof for the model
// with the value it proves (count 0 and a zero root when absent).
struct ModelAnswerHead {
  uint64_t output_leaf_index = 0;
  std::string output_leaf;
  std::vector<Hash> output_proof;
  std::string map_proof;
  KeyValue value;
};

// The head for `model_id` from the index and the output log, proven in the
// output log's tree of `output_size` leaves. kFailedPrecondition when the
// output log's last update is not the builder's state.
absl::StatusOr<ModelAnswerHead> MakeModelHead(const IndexBuilder& builder,
                                              const ledger::Ledger& output,
                                              uint64_t output_size,
                                              absl::string_view model_id);

// Each of `list` with its leaf and inclusion proof in the input tree of
// `input_size` leaves. The ledger's errors.
absl::StatusOr<std::vector<ProvenEntry>> ProveEntries(
    const ledger::Ledger& input, absl::Span<const uint64_t> list,
    uint64_t input_size);

// The update in output leaf `leaf_index` (`leaf`), which must be the last
// leaf of the output log's verified checkpoint (size, root) and proven in it
// by `proof`. kDataLoss ("stale index: ..." when it is not the last leaf);
// kFailedPrecondition for another MapFn version.
absl::StatusOr<IndexUpdate> VerifyOutputLeaf(uint64_t leaf_index,
                                             absl::string_view leaf,
                                             absl::Span<const Hash> proof,
                                             uint64_t output_size,
                                             const Hash& output_root);

// kOutOfRange when the as-of size is beyond the index's input size.
absl::Status CheckAsOf(std::optional<uint64_t> as_of, const IndexState& s);

// Map version 2 and later: the totals hash `entries` (those about
// `model_id`) fold to; nullopt for version 1 (no totals in the map).
std::optional<Hash> FoldedTotals(absl::Span<const ProvenEntry> entries,
                                 absl::string_view model_id, uint32_t version);

// Whether `map_proof` (EncodeMapProof bytes) proves `key` present with
// `value` (true) or absent (false, and then value.count must be 0) in the
// map `map_root`. kDataLoss saying which check failed.
absl::StatusOr<bool> VerifyMapValue(absl::string_view map_proof,
                                    const Hash& key, const Hash& map_root,
                                    const KeyValue& value);

// Checks that `entries` are `list` (strictly ascending), each proven in the
// input tree of `s` and mapped to `model_id` by MapFn. A redacted entry is
// refused unless `allow_redacted`; then its leaf hash is proven in the
// input tree and MapFn is not run (the reader cannot see the leaf).
// kDataLoss naming the first entry that is not.
absl::Status VerifyEntries(absl::Span<const uint64_t> list,
                           absl::Span<const ProvenEntry> entries,
                           absl::string_view model_id, const IndexState& s,
                           bool allow_redacted = false);

// The answer for `model_id` from the index (`builder`, whose state the
// output log's last leaf records) and the two ledgers, proven against the
// output log's tree of `output_size` leaves. kFailedPrecondition when the
// output log's last update is not the builder's state.
absl::StatusOr<ModelAnswer> MakeModelAnswer(const IndexBuilder& builder,
                                            const ledger::Ledger& input,
                                            const ledger::Ledger& output,
                                            uint64_t output_size,
                                            absl::string_view model_id);

struct VerifiedModelEntries {
  IndexUpdate update;  // the index state the answer is from
  bool present = false;
  // The entries below the as-of size (all when none was asked), in order.
  std::vector<ProvenEntry> entries;
};

// Verifies `answer` for `model_id` against the output log's verified
// checkpoint (size, root), then keeps the entries below `as_of` (which must
// not exceed the update's input size). kDataLoss saying which check failed
// (a stale update that is not the output log's last leaf, a map proof, a
// list that does not make the proven root, an entry not proven in the input
// or not about the model); kFailedPrecondition for another MapFn version;
// kOutOfRange for an as-of size beyond the index.
absl::StatusOr<VerifiedModelEntries> VerifyModelAnswer(
    const ModelAnswer& answer, absl::string_view model_id, uint64_t output_size,
    const Hash& output_root, std::optional<uint64_t> as_of);

}  // namespace vindex

#endif  // INDEX_MODEL_ANSWER_H_
