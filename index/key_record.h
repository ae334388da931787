// The stored record of one key of the verifiable index (index/FORMAT.md,
// "Storage"): what the builder writes, in each update, for every key the
// update changed, and reads back at open to rebuild the map in memory.
//
// One record per key holds everything about it (its list's compact range,
// its model id and, in map version 2, its totals fold state): an update
// that changes k keys writes k records. Stores written before this layout
// kept the fold state in a second record per key (`t` ‖ K); the builder
// reads those once and rewrites them (index_builder.cc).
//
// Pure functions; thread-safe.
#ifndef INDEX_KEY_RECORD_H_
#define INDEX_KEY_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/map_hash.h"
#include "index/model_map.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {

// The layout of `k` records this binary writes (kMeta `index/key_records`).
inline constexpr uint32_t kKeyRecordLayout = 2;

// u64 count ‖ the list's compact range (popcount(count) hashes) ‖ u32 model
// id length ‖ model id ‖ the fold state (TotalsFold::EncodeState; nothing
// when `with_totals` is false, as in map version 1).
std::string EncodeKeyRecord(const ModelMap::KeyState& key, bool with_totals);

// Parses EncodeKeyRecord's bytes. kDataLoss when they do not parse.
absl::StatusOr<ModelMap::KeyState> DecodeKeyRecord(absl::string_view bytes,
                                                   bool with_totals);

// Parses a `k` record of the layout before (u64 count ‖ compact range ‖
// model id, the rest): the fold state is not in it. kDataLoss when it does
// not parse.
absl::StatusOr<ModelMap::KeyState> DecodeLayoutOneKeyRecord(
    absl::string_view bytes);

// popcount(size) hashes, largest subtree first: a compact range as stored
// (key records, the input frontier).
std::string EncodeRangeHashes(const std::vector<Hash>& hashes);
absl::StatusOr<ledger::merkle::CompactRange> DecodeRangeHashes(
    uint64_t size, ledger::entry::ByteReader* in);

}  // namespace vindex

#endif  // INDEX_KEY_RECORD_H_
