#include "index/key_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vindex {
namespace {

using ledger::entry::ByteReader;
using ledger::merkle::CompactRange;

absl::Status Truncated(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("index: key record: ", what));
}

// u64 count ‖ compact range: the part both layouts share.
absl::StatusOr<CompactRange> DecodeList(ByteReader* in) {
  uint64_t count = 0;
  if (!in->ReadU64(&count)) return Truncated("no count");
  return DecodeRangeHashes(count, in);
}

}  // namespace

std::string EncodeRangeHashes(const std::vector<Hash>& hashes) {
  std::string out;
  out.reserve(32 * hashes.size());
  for (const Hash& h : hashes) absl::StrAppend(&out, HashBytes(h));
  return out;
}

absl::StatusOr<CompactRange> DecodeRangeHashes(uint64_t size, ByteReader* in) {
  std::vector<Hash> hashes;
  for (int i = __builtin_popcountll(size); i > 0; --i) {
    absl::string_view bytes;
    if (!in->ReadBytes(32, &bytes)) {
      return absl::DataLossError("index: truncated compact range");
    }
    hashes.push_back(HashOfBytes(bytes));
  }
  return CompactRange::FromFrontier(size, std::move(hashes));
}

std::string EncodeKeyRecord(const ModelMap::KeyState& key, bool with_totals) {
  std::string out = ledger::entry::U64Key(key.list.size());
  out += EncodeRangeHashes(key.list.hashes());
  ledger::entry::PutU32(&out, static_cast<uint32_t>(key.model_id.size()));
  out += key.model_id;
  if (with_totals) out += key.totals.EncodeState();
  return out;
}

absl::StatusOr<ModelMap::KeyState> DecodeKeyRecord(absl::string_view bytes,
                                                   bool with_totals) {
  ByteReader in(bytes);
  ModelMap::KeyState key;
  ASSIGN_OR_RETURN(key.list, DecodeList(&in));
  uint32_t id_size = 0;
  absl::string_view id;
  if (!in.ReadU32(&id_size) || !in.ReadBytes(id_size, &id)) {
    return Truncated("model id");
  }
  key.model_id = std::string(id);
  if (!with_totals) {
    if (in.remaining() != 0) return Truncated("bytes after the model id");
    return key;
  }
  absl::StatusOr<TotalsFold> fold = TotalsFold::DecodeState(in.rest());
  if (!fold.ok()) return Truncated(fold.status().message());
  key.totals = *std::move(fold);
  return key;
}

absl::StatusOr<ModelMap::KeyState> DecodeLayoutOneKeyRecord(
    absl::string_view bytes) {
  ByteReader in(bytes);
  ModelMap::KeyState key;
  ASSIGN_OR_RETURN(key.list, DecodeList(&in));
  key.model_id = std::string(in.rest());
  return key;
}

}  // namespace vindex
