// A proof about one key of the map (index/FORMAT.md, "Map proofs"): that the
// key holds a value (membership) or that it holds none (non-membership),
// against a map root. Encoding, decoding and verification; the proofs are
// made by MapTree (map_tree.h).
//
// Every failure is kInvalidArgument saying why (bad encoding, a root that
// does not match, a proof of the other kind). Pure; thread-safe.
#ifndef INDEX_MAP_PROOF_H_
#define INDEX_MAP_PROOF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/map_hash.h"

namespace vindex {

struct MapProof {
  enum class Kind : uint8_t {
    kMember = 0,       // the path ends at the key's own leaf
    kAbsentEmpty = 1,  // the path ends at an empty subtree
    kAbsentOther = 2,  // the path ends at the leaf of another key
  };
  Kind kind = Kind::kAbsentEmpty;
  // The sibling hashes along the key's path, from the root's children down
  // (siblings[d] is the sibling at depth d); EmptyMapHash() for an empty one.
  std::vector<Hash> siblings;
  // kAbsentOther: the other key's hash and value (its leaf ends the path);
  // encoded as kind 3 when that value has totals (a version 2 leaf).
  Hash other_key{};
  KeyValue other_value;
};

// The bytes of `proof` (index/FORMAT.md). REQUIRES: siblings.size() <= 256.
std::string EncodeMapProof(const MapProof& proof);

// Parses EncodeMapProof's bytes; only the canonical encoding is accepted.
absl::StatusOr<MapProof> DecodeMapProof(absl::string_view bytes);

// The map root the proof implies for `key_hash` holding `value` (kMember) or
// nothing (the absent kinds; `value` is ignored). kInvalidArgument when the
// proof is not well formed for that key (an other key that is the key
// itself or leaves its path).
absl::StatusOr<Hash> MapRootFromProof(const Hash& key_hash,
                                      const KeyValue& value,
                                      const MapProof& proof);

// OK iff `proof` shows that `key_hash` holds `value` in the map `root`.
absl::Status VerifyMembership(const Hash& root, const Hash& key_hash,
                              const KeyValue& value, const MapProof& proof);

// OK iff `proof` shows that `key_hash` holds nothing in the map `root`.
absl::Status VerifyNonMembership(const Hash& root, const Hash& key_hash,
                                 const MapProof& proof);

}  // namespace vindex

#endif  // INDEX_MAP_PROOF_H_
