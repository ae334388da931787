#include "index/map_proof.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/entry/byte_io.h"

namespace vindex {
namespace {

constexpr size_t kMaxDepth = 256;

void PutHash(const Hash& h, std::string* out) {
  out->append(reinterpret_cast<const char*>(h.data()), h.size());
}

Hash GetHash(const uint8_t* p) {
  Hash h;
  std::memcpy(h.data(), p, h.size());
  return h;
}

// Whether `a` and `b` agree on their first `bits` bits.
bool SharePrefix(const Hash& a, const Hash& b, size_t bits) {
  for (size_t i = 0; i < bits; ++i) {
    if (KeyBit(a, i) != KeyBit(b, i)) return false;
  }
  return true;
}

absl::Status CheckRoot(const Hash& want, absl::StatusOr<Hash> got) {
  if (!got.ok()) return got.status();
  if (*got != want) {
    return absl::InvalidArgumentError(absl::StrCat(
        "map proof: computed root ", ledger::merkle::HashToHex(*got), ", want ",
        ledger::merkle::HashToHex(want)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string EncodeMapProof(const MapProof& proof) {
  const size_t depth = proof.siblings.size();
  std::string out;
  // Kind 3 is kind 2 whose other leaf is a version 2 leaf (with totals).
  const bool other_v2 = proof.kind == MapProof::Kind::kAbsentOther &&
                        proof.other_value.has_totals;
  out.push_back(
      static_cast<char>(other_v2 ? 3 : static_cast<uint8_t>(proof.kind)));
  out.push_back(static_cast<char>(depth >> 8));
  out.push_back(static_cast<char>(depth & 0xff));
  std::string bitmap((depth + 7) / 8, '\0');
  for (size_t d = 0; d < depth; ++d) {
    if (proof.siblings[d] != EmptyMapHash()) {
      bitmap[d / 8] = static_cast<char>(bitmap[d / 8] | (0x80 >> (d % 8)));
    }
  }
  out += bitmap;
  for (const Hash& s : proof.siblings) {
    if (s != EmptyMapHash()) PutHash(s, &out);
  }
  if (proof.kind == MapProof::Kind::kAbsentOther) {
    PutHash(proof.other_key, &out);
    ledger::entry::PutU64(&out, proof.other_value.count);
    PutHash(proof.other_value.list_root, &out);
    if (other_v2) PutHash(proof.other_value.totals_hash, &out);
  }
  return out;
}

absl::StatusOr<MapProof> DecodeMapProof(absl::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "map proof: got ", bytes.size(), " bytes, want at least 3"));
  }
  MapProof proof;
  if (p[0] > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("map proof: kind: got ", p[0], ", want 0, 1, 2 or 3"));
  }
  const bool other_v2 = p[0] == 3;
  proof.kind = other_v2 ? MapProof::Kind::kAbsentOther
                        : static_cast<MapProof::Kind>(p[0]);
  const size_t depth = (size_t{p[1]} << 8) | p[2];
  if (depth > kMaxDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat("map proof: depth: got ", depth, ", want <= 256"));
  }
  const size_t bitmap_bytes = (depth + 7) / 8;
  if (bytes.size() < 3 + bitmap_bytes) {
    return absl::InvalidArgumentError("map proof: truncated bitmap");
  }
  const uint8_t* bitmap = p + 3;
  size_t present = 0;
  for (size_t i = 0; i < bitmap_bytes * 8; ++i) {
    const bool bit = (bitmap[i / 8] >> (7 - i % 8)) & 1;
    if (bit && i >= depth) {
      return absl::InvalidArgumentError("map proof: bitmap padding not zero");
    }
    present += bit;
  }
  const size_t tail = other_v2                                     ? 104
                      : proof.kind == MapProof::Kind::kAbsentOther ? 72
                                                                   : 0;
  const size_t want = 3 + bitmap_bytes + present * 32 + tail;
  if (bytes.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("map proof: got ", bytes.size(), " bytes, want ", want));
  }
  const uint8_t* next = bitmap + bitmap_bytes;
  for (size_t d = 0; d < depth; ++d) {
    if ((bitmap[d / 8] >> (7 - d % 8)) & 1) {
      proof.siblings.push_back(GetHash(next));
      next += 32;
      if (proof.siblings.back() == EmptyMapHash()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "map proof: sibling ", d, " marked present but empty"));
      }
    } else {
      proof.siblings.push_back(EmptyMapHash());
    }
  }
  if (tail != 0) {
    proof.other_key = GetHash(next);
    proof.other_value.count = ledger::entry::DecodeU64(
        absl::string_view(reinterpret_cast<const char*>(next + 32), 8));
    proof.other_value.list_root = GetHash(next + 40);
    if (other_v2) {
      proof.other_value.has_totals = true;
      proof.other_value.totals_hash = GetHash(next + 72);
    }
  }
  return proof;
}

absl::StatusOr<Hash> MapRootFromProof(const Hash& key_hash,
                                      const KeyValue& value,
                                      const MapProof& proof) {
  const size_t depth = proof.siblings.size();
  if (depth > kMaxDepth) {
    return absl::InvalidArgumentError("map proof: deeper than 256");
  }
  Hash h;
  switch (proof.kind) {
    case MapProof::Kind::kMember:
      h = MapLeafHash(key_hash, value);
      break;
    case MapProof::Kind::kAbsentEmpty:
      h = EmptyMapHash();
      break;
    case MapProof::Kind::kAbsentOther:
      // The other leaf must sit where the key's path ends, and be another
      // key: else it proves nothing about this one.
      if (proof.other_key == key_hash) {
        return absl::InvalidArgumentError(
            "map proof: the other key is the key itself");
      }
      if (!SharePrefix(proof.other_key, key_hash, depth)) {
        return absl::InvalidArgumentError(
            "map proof: the other key leaves the key's path");
      }
      h = MapLeafHash(proof.other_key, proof.other_value);
      break;
  }
  for (size_t d = depth; d-- > 0;) {
    h = KeyBit(key_hash, d) == 0 ? MapNodeHash(h, proof.siblings[d])
                                 : MapNodeHash(proof.siblings[d], h);
  }
  return h;
}

absl::Status VerifyMembership(const Hash& root, const Hash& key_hash,
                              const KeyValue& value, const MapProof& proof) {
  if (proof.kind != MapProof::Kind::kMember) {
    return absl::InvalidArgumentError(
        "map proof: shows absence, want membership");
  }
  return CheckRoot(root, MapRootFromProof(key_hash, value, proof));
}

absl::Status VerifyNonMembership(const Hash& root, const Hash& key_hash,
                                 const MapProof& proof) {
  if (proof.kind == MapProof::Kind::kMember) {
    return absl::InvalidArgumentError(
        "map proof: shows membership, want absence");
  }
  return CheckRoot(root, MapRootFromProof(key_hash, KeyValue{}, proof));
}

}  // namespace vindex
