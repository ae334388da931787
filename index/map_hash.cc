#include "index/map_hash.h"

#include <string>

#include "ledger/crypto/sha256.h"
#include "ledger/entry/byte_io.h"

namespace vindex {
Hash KeyHash(absl::string_view model_id) {
  return ledger::crypto::Sha256({model_id});
}

Hash ListLeafHash(uint64_t leaf_index) {
  return ledger::merkle::HashLeaf(ledger::entry::U64Key(leaf_index));
}

Hash MapLeafHash(const Hash& key_hash, const KeyValue& value) {
  const std::string count = ledger::entry::U64Key(value.count);
  if (value.has_totals) {
    const char v2 = static_cast<char>(kMapLeafV2Prefix);
    return ledger::crypto::Sha256(
        {absl::string_view(&v2, 1), HashBytes(key_hash), count,
         HashBytes(value.list_root), HashBytes(value.totals_hash)});
  }
  const char prefix = static_cast<char>(kMapLeafPrefix);
  return ledger::crypto::Sha256({absl::string_view(&prefix, 1),
                                 HashBytes(key_hash), count,
                                 HashBytes(value.list_root)});
}

Hash MapNodeHash(const Hash& left, const Hash& right) {
  const char prefix = static_cast<char>(kMapNodePrefix);
  return ledger::crypto::Sha256(
      {absl::string_view(&prefix, 1), HashBytes(left), HashBytes(right)});
}

Hash EmptyMapHash() { return Hash{}; }

int KeyBit(const Hash& key_hash, int depth) {
  return (key_hash[depth / 8] >> (7 - depth % 8)) & 1;
}

}  // namespace vindex
