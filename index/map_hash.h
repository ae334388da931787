// The hashing of the verifiable per-model index (index/FORMAT.md, "Hashing"):
// a key's list of leaf indices as an RFC 6962 tree, and the map over keys as
// a compressed sparse Merkle tree whose node hashes are domain-separated
// from RFC 6962's (prefix bytes 0x02 and 0x03, never 0x00 or 0x01).
//
//   key hash   K      = SHA-256(model id bytes)
//   list leaf         = RFC 6962 leaf of the 8-byte big-endian leaf index
//   map leaf (v1)     = SHA-256(0x02 || K || count u64 BE || list root)
//   map leaf (v2)     = SHA-256(0x04 || K || count u64 BE || list root ||
//                               totals hash)   (model_totals.h)
//   map node          = SHA-256(0x03 || left || right)
//   empty subtree     = 32 zero bytes
//
// Pure functions; thread-safe.
#ifndef INDEX_MAP_HASH_H_
#define INDEX_MAP_HASH_H_

#include <algorithm>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"

namespace vindex {

using ledger::merkle::Hash;

inline constexpr uint8_t kMapLeafPrefix = 0x02;
inline constexpr uint8_t kMapNodePrefix = 0x03;
inline constexpr uint8_t kMapLeafV2Prefix = 0x04;

// What the map holds for one key: how many leaves its list has and the
// RFC 6962 root of that list; in map version 2 also the hash of the key's
// totals (model_totals.h), `has_totals` set.
struct KeyValue {
  uint64_t count = 0;
  Hash list_root{};
  bool has_totals = false;
  Hash totals_hash{};

  bool operator==(const KeyValue& o) const {
    return count == o.count && list_root == o.list_root &&
           has_totals == o.has_totals && totals_hash == o.totals_hash;
  }
  bool operator!=(const KeyValue& o) const { return !(*this == o); }
};

// The hash's 32 bytes as a string_view (for storage keys and values).
inline absl::string_view HashBytes(const Hash& h) {
  return absl::string_view(reinterpret_cast<const char*>(h.data()), h.size());
}

// HashBytes' inverse: 32 bytes read back as a Hash. REQUIRES: bytes.size()
// == 32 (callers check what they read from storage or the wire first).
inline Hash HashOfBytes(absl::string_view bytes) {
  Hash h{};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

// SHA-256 of the model id: the key's position in the map.
Hash KeyHash(absl::string_view model_id);

// The RFC 6962 leaf hash of one list element: HashLeaf(8-byte BE index),
// the same encoding as a finding's evidence hash (ledger/FORMAT.md).
Hash ListLeafHash(uint64_t leaf_index);

// SHA-256(0x02 || key_hash || count BE || list_root), or with totals
// SHA-256(0x04 || key_hash || count BE || list_root || totals_hash).
Hash MapLeafHash(const Hash& key_hash, const KeyValue& value);

// SHA-256(0x03 || left || right).
Hash MapNodeHash(const Hash& left, const Hash& right);

// The hash of an empty subtree (and the root of the empty map): zeros.
Hash EmptyMapHash();

// Bit `depth` (0 = most significant bit of byte 0) of `key_hash`.
// REQUIRES: depth < 256.
int KeyBit(const Hash& key_hash, int depth);

}  // namespace vindex

#endif  // INDEX_MAP_HASH_H_
