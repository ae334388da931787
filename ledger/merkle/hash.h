// RFC 6962 / RFC 9162 hashing for the ledger's Merkle tree, and text
// encodings of a hash.
//
//   leaf  = SHA-256(0x00 || leaf bytes)
//   node  = SHA-256(0x01 || left || right)
//   empty = SHA-256("")   (the root of the tree with no leaves)
//
// All functions are pure and thread-safe. SHA-256 is the ledger's one
// SHA-256, crypto::Sha256 (OpenSSL's, with SHA-NI where the CPU has it).
#ifndef LEDGER_MERKLE_HASH_H_
#define LEDGER_MERKLE_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ledger::merkle {

inline constexpr size_t kHashSize = 32;

// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
using Hash = std::array<uint8_t, kHashSize>;

// Returns SHA-256(0x00 || leaf_bytes), the RFC 6962 hash of one leaf.
Hash HashLeaf(absl::string_view leaf_bytes);

// Returns SHA-256(0x01 || left || right), the RFC 6962 hash of an interior
// node whose children have the given hashes.
Hash HashChildren(const Hash& left, const Hash& right);

// Returns SHA-256 of the empty string, the RFC 6962 root of the empty tree.
Hash EmptyRoot();

// Returns the RFC 6962 hash of the (possibly non-perfect) tree made of
// adjacent perfect subtrees whose hashes are `subtree_hashes`, largest
// (leftmost) first, with strictly decreasing sizes: the fold
// HashChildren(h[0], HashChildren(h[1], ... h[k-1])). Returns h[0] for one
// hash and EmptyRoot() for none. This is how a tree root is computed from the
// perfect subtrees of its size's binary decomposition, and how a proof's
// "ephemeral" right-edge node is computed.
Hash FoldSubtrees(absl::Span<const Hash> subtree_hashes);

// Returns the 64-character lowercase hex encoding of `hash`.
std::string HashToHex(const Hash& hash);

// Parses a 64-character hex hash (either case). Returns kInvalidArgument
// naming the problem (length or offending character) otherwise.
absl::StatusOr<Hash> HashFromHex(absl::string_view hex);

// Returns the standard, padded base64 encoding of `hash` (44 characters), as
// used in C2SP checkpoints.
std::string HashToBase64(const Hash& hash);

// Parses a standard, padded base64 hash (exactly 44 characters, canonical).
// Returns kInvalidArgument naming the problem otherwise.
absl::StatusOr<Hash> HashFromBase64(absl::string_view base64);

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_HASH_H_
