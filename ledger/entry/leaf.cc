#include "ledger/entry/leaf.h"

#include "absl/strings/str_cat.h"
#include "ledger/entry/byte_io.h"

namespace ledger::entry {

std::string EncodeLeaf(int64_t integration_time_micros,
                       absl::string_view envelope_bytes) {
  std::string out;
  out.reserve(kLeafHeaderSize + envelope_bytes.size());
  out.push_back(static_cast<char>(kLeafVersion));
  PutU64(&out, static_cast<uint64_t>(integration_time_micros));
  out.append(envelope_bytes.data(), envelope_bytes.size());
  return out;
}

absl::StatusOr<Leaf> ParseLeaf(absl::string_view bytes) {
  ByteReader in(bytes);
  uint8_t version = 0;
  uint64_t micros = 0;
  if (!in.ReadU8(&version)) return absl::InvalidArgumentError("leaf: empty");
  if (version != kLeafVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf version: got ", version, ", want ", kLeafVersion));
  }
  if (!in.ReadU64(&micros))
    return absl::InvalidArgumentError("leaf: truncated integration time");
  if (static_cast<int64_t>(micros) < 0) {
    return absl::InvalidArgumentError("leaf: negative integration time");
  }
  Leaf leaf;
  leaf.integration_time_micros = static_cast<int64_t>(micros);
  leaf.envelope = std::string(in.rest());
  return leaf;
}

}  // namespace ledger::entry
