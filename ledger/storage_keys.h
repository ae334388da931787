// Keys of the ledger's column families (FORMAT.md, "Storage"). Header-only.
#ifndef LEDGER_STORAGE_KEYS_H_
#define LEDGER_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/hash.h"

namespace ledger::keys {

// Meta family.
inline constexpr absl::string_view kOrigin = "origin";
inline constexpr absl::string_view kTreeSize = "tree_size";  // u64
inline constexpr absl::string_view kLastTime = "last_time";  // u64 micros
inline constexpr absl::string_view kLogPublicKey =
    "log_public_key";  // 32 bytes
inline constexpr absl::string_view kLatestCheckpoint =
    "checkpoint";  // signed note
// u64: the tree size when the ledger was first opened for writing under a
// simulated clock; present = the integration times follow a simulated
// clock (FORMAT.md, "Storage"). Never removed.
inline constexpr absl::string_view kSimulatedClock = "simulated_clock";
// u64: leaves [0, n) have their index keys stored (ledger/index_runs.h).
inline constexpr absl::string_view kIndexSize = "index_size";

// Meta family: every published checkpoint, "checkpoint/" ‖ u64 size.
inline std::string CheckpointAt(uint64_t size) {
  std::string key = "checkpoint/";
  entry::PutU64(&key, size);
  return key;
}

// Meta family: the log-key history, "log_key/" ‖ u64 announcing leaf →
// 32-byte public key (derived from the LogKey events).
inline constexpr absl::string_view kLogKeyPrefix = "log_key/";
inline constexpr absl::string_view kLogKeyEnd = "log_key0";  // '/' + 1
inline std::string LogKeyAt(uint64_t leaf) {
  std::string key(kLogKeyPrefix);
  entry::PutU64(&key, leaf);
  return key;
}

// Leaves family: u64 index.
inline std::string Leaf(uint64_t index) { return entry::U64Key(index); }

// Index family: "k" ‖ key id ‖ u64 sequence → u64 leaf index, written in
// sorted runs (ledger/index_runs.h).
inline std::string Sequence(const crypto::KeyId& id, uint64_t sequence) {
  std::string key = "k";
  key.append(reinterpret_cast<const char*>(id.bytes().data()),
             id.bytes().size());
  entry::PutU64(&key, sequence);
  return key;
}

// Index family: "h" ‖ leaf hash → u64 leaf index, written in sorted runs
// (ledger/index_runs.h).
inline std::string LeafHash(const merkle::Hash& hash) {
  std::string key = "h";
  key.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  return key;
}

// Keys family: key id → KeyInfo (EncodeKeyInfo).
inline std::string KeyRecord(const crypto::KeyId& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()),
                     id.bytes().size());
}

}  // namespace ledger::keys

#endif  // LEDGER_STORAGE_KEYS_H_
