#include "index/index_state.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/key_record.h"
#include "ledger/entry/byte_io.h"

namespace vindex {
namespace {

using ledger::entry::ByteReader;

constexpr size_t kStateBytes = 4 + 8 + 32 + 32 + 8;

}  // namespace

std::string EncodeIndexState(const IndexState& s) {
  std::string out;
  out.reserve(kStateBytes);
  ledger::entry::PutU32(&out, s.map_fn_version);
  ledger::entry::PutU64(&out, s.input_size);
  absl::StrAppend(&out, HashBytes(s.input_root));
  absl::StrAppend(&out, HashBytes(s.map_root));
  ledger::entry::PutU64(&out, s.key_count);
  return out;
}

absl::StatusOr<IndexState> DecodeIndexState(absl::string_view bytes) {
  ByteReader in(bytes);
  IndexState s;
  absl::string_view input_root, map_root;
  if (!in.ReadU32(&s.map_fn_version) || !in.ReadU64(&s.input_size) ||
      !in.ReadBytes(32, &input_root) || !in.ReadBytes(32, &map_root) ||
      !in.ReadU64(&s.key_count) || in.remaining() != 0) {
    return absl::DataLossError(
        absl::StrCat("index: state record of ", bytes.size(), " bytes"));
  }
  s.input_root = HashOfBytes(input_root);
  s.map_root = HashOfBytes(map_root);
  return s;
}

std::string EncodeKeyCheckpoint(const KeyCheckpoint& checkpoint) {
  return absl::StrCat(EncodeIndexState(checkpoint.state),
                      EncodeRangeHashes(checkpoint.input.hashes()));
}

absl::StatusOr<KeyCheckpoint> DecodeKeyCheckpoint(absl::string_view bytes) {
  if (bytes.size() < kStateBytes) {
    return absl::DataLossError(
        absl::StrCat("index: key checkpoint of ", bytes.size(), " bytes"));
  }
  KeyCheckpoint out;
  ASSIGN_OR_RETURN(out.state, DecodeIndexState(bytes.substr(0, kStateBytes)));
  ByteReader in(bytes.substr(kStateBytes));
  ASSIGN_OR_RETURN(out.input, DecodeRangeHashes(out.state.input_size, &in));
  if (in.remaining() != 0 || out.input.Root() != out.state.input_root) {
    return absl::DataLossError(
        "index: key checkpoint's input frontier does not make its input root");
  }
  return out;
}

}  // namespace vindex
