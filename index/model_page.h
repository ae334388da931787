// A long answer in pages (index/FORMAT.md, "Pages of a list"): the head
// (model_answer.h: output leaf and map proof with the proven (count, list
// root)) once, then pages of the list, each with a range proof against that
// list root (list_range.h) and its entries proven in the input log. A page
// is checked on its own against what the head proved; the pages together
// are checked to follow one another from position 0 to the list's end (or
// to the first entry at or past an as-of size).
//
// The server's side (MakeModelPage) pins a page to the (count, input size)
// the client's head proved, so a page asked after the index advanced is
// still of the same list: a list only grows, so its first `count` elements
// and their tree do not change.
//
// MakeModelPage reads its arguments; ModelPagesVerifier is a value type,
// not thread-safe.
#ifndef INDEX_MODEL_PAGE_H_
#define INDEX_MODEL_PAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/index_builder.h"
#include "index/list_range.h"
#include "index/model_answer.h"
#include "ledger/ledger.h"

namespace vindex {

// The most list elements one page carries.
inline constexpr uint64_t kMaxPageEntries = 1000;

struct ModelPage {
  uint64_t start = 0;                // list position of list[0]
  std::vector<uint64_t> list;        // the elements at [start, start + n)
  ListRangeProof range;              // against the head's list root
  std::vector<ProvenEntry> entries;  // one per list element, same order
};

// The page of `model_id`'s list from position `start` within its first
// `list_count` elements (the count the client's head proved), each entry
// proven in the input tree of `input_size` leaves: at most `max_count`
// elements, none after the first at or past `as_of`, and no more bytes of
// leaves and their proofs than `max_leaf_bytes` (but at least one element).
// kInvalidArgument for max_count outside 1..kMaxPageEntries, start at or
// past list_count, list_count beyond the model's list or an element not
// below input_size; kOutOfRange for input_size beyond `input`; the
// builder's and ledger's errors. Reads the page's elements and the range
// proof's stored nodes (list_nodes.h), never the whole list: O(page + log n).
absl::StatusOr<ModelPage> MakeModelPage(
    const IndexBuilder& builder, const ledger::Ledger& input,
    absl::string_view model_id, uint64_t list_count, uint64_t input_size,
    uint64_t start, uint64_t max_count,
    std::optional<uint64_t> as_of = std::nullopt,
    size_t max_leaf_bytes = SIZE_MAX);

// Checks a paged answer for one model as it arrives.
class ModelPagesVerifier {
 public:
  // Verifies `head` against the output log's verified checkpoint (size,
  // root): errors as VerifyOutputLeaf and VerifyMapValue; kOutOfRange for an
  // as-of size beyond the index.
  static absl::StatusOr<ModelPagesVerifier> Start(
      const ModelAnswerHead& head, absl::string_view model_id,
      uint64_t output_size, const Hash& output_root,
      std::optional<uint64_t> as_of);

  const IndexUpdate& update() const { return update_; }
  bool present() const { return present_; }
  const KeyValue& value() const { return value_; }

  // The list position the next page must start at.
  uint64_t next_position() const { return next_; }
  // True when every element was seen, or one at or past the as-of size.
  bool done() const;

  // Verifies the next page: it starts at next_position(), its range proof
  // makes the head's list root, it ascends from the previous page, and its
  // entries are proven and about the model (a redacted entry: proven, and
  // kept with its flag; FORMAT.md, "Redacted entries"); after the list's last
  // page of a map with totals (version 2), that every entry folds to the proven
  // totals hash (an as-of answer that stops early is not checked for
  // totals). kDataLoss saying which check failed (nothing is kept then);
  // kFailedPrecondition after done().
  absl::Status Add(const ModelPage& page);

  // The verified entries below the as-of size (all without one), in order.
  const std::vector<ProvenEntry>& entries() const { return entries_; }

 private:
  ModelPagesVerifier() = default;

  std::string model_id_;
  IndexUpdate update_;
  bool present_ = false;
  KeyValue value_;
  std::optional<uint64_t> as_of_;
  uint64_t next_ = 0;
  std::optional<uint64_t> last_index_;
  bool past_as_of_ = false;
  std::vector<ProvenEntry> entries_;
  std::vector<ProvenEntry> all_;  // every entry, when the map has totals
};

}  // namespace vindex

#endif  // INDEX_MODEL_PAGE_H_
