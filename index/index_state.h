// What the index builder commits to after an update, and the stored forms
// of it (index/FORMAT.md, "Storage"): the state record written with every
// update, and the key checkpoint — the state the stored `k` records are at,
// with the input frontier there — written every so many leaves
// (index_builder.h says why the two may differ).
//
// Pure functions; thread-safe.
#ifndef INDEX_INDEX_STATE_H_
#define INDEX_INDEX_STATE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/map_hash.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {

// What one index update commits to (also the output-log leaf's content).
struct IndexState {
  uint32_t map_fn_version = 0;
  uint64_t input_size = 0;
  Hash input_root{};
  Hash map_root{};
  uint64_t key_count = 0;
};

// u32 MapFn version ‖ u64 input size ‖ input root (32) ‖ map root (32) ‖
// u64 key count: 84 bytes.
std::string EncodeIndexState(const IndexState& state);

// Parses EncodeIndexState's bytes; kDataLoss when they do not.
absl::StatusOr<IndexState> DecodeIndexState(absl::string_view bytes);

// The state the `k` records make, and the input log's compact range at its
// input size (from which the input after it is re-applied at open).
struct KeyCheckpoint {
  IndexState state;
  ledger::merkle::CompactRange input;
};

// EncodeIndexState(state) ‖ the input's popcount(size) hashes, largest
// subtree first.
std::string EncodeKeyCheckpoint(const KeyCheckpoint& checkpoint);

// Parses EncodeKeyCheckpoint's bytes; kDataLoss when they do not, or when
// the hashes do not make the state's input root.
absl::StatusOr<KeyCheckpoint> DecodeKeyCheckpoint(absl::string_view bytes);

}  // namespace vindex

#endif  // INDEX_INDEX_STATE_H_
