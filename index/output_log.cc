#include "index/output_log.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "compliance/leaf_entry.h"
#include "ledger/entry/byte_io.h"
#include "ledger/roles.h"

namespace vindex {
namespace {

bool ReadHash(ledger::entry::ByteReader* in, Hash* out) {
  absl::string_view bytes;
  if (!in->ReadBytes(32, &bytes)) return false;
  std::copy(bytes.begin(), bytes.end(), out->begin());
  return true;
}

}  // namespace

bool IndexUpdate::operator==(const IndexUpdate& o) const {
  return input_origin == o.input_origin &&
         state.map_fn_version == o.state.map_fn_version &&
         state.input_size == o.state.input_size &&
         state.input_root == o.state.input_root &&
         state.map_root == o.state.map_root &&
         state.key_count == o.state.key_count;
}

std::string EncodeIndexUpdate(const IndexUpdate& u) {
  std::string out;
  out.push_back(static_cast<char>(kIndexUpdateFormat));
  ledger::entry::PutU32(&out, u.state.map_fn_version);
  ledger::entry::PutU64(&out, u.state.input_size);
  absl::StrAppend(&out, HashBytes(u.state.input_root),
                  HashBytes(u.state.map_root));
  ledger::entry::PutU64(&out, u.state.key_count);
  ledger::entry::PutU16(&out, static_cast<uint16_t>(u.input_origin.size()));
  out += u.input_origin;
  return out;
}

absl::StatusOr<IndexUpdate> DecodeIndexUpdate(absl::string_view payload) {
  ledger::entry::ByteReader in(payload);
  uint8_t format = 0;
  if (!in.ReadU8(&format) || format != kIndexUpdateFormat) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IndexUpdate: format: got ", format, ", want ", kIndexUpdateFormat));
  }
  IndexUpdate u;
  uint16_t origin_len = 0;
  absl::string_view origin;
  if (!in.ReadU32(&u.state.map_fn_version) ||
      !in.ReadU64(&u.state.input_size) || !ReadHash(&in, &u.state.input_root) ||
      !ReadHash(&in, &u.state.map_root) || !in.ReadU64(&u.state.key_count) ||
      !in.ReadU16(&origin_len) || !in.ReadBytes(origin_len, &origin) ||
      in.remaining() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IndexUpdate: ", payload.size(), " bytes do not parse (format 1)"));
  }
  u.input_origin = std::string(origin);
  return u;
}

absl::StatusOr<std::optional<IndexUpdate>> IndexUpdateOfLeaf(
    uint64_t index, absl::string_view leaf_bytes) {
  // The one leaf decoding (compliance/leaf_entry.h); whether the signer is
  // enrolled is the output log's own admission rule, checked by its reader.
  ASSIGN_OR_RETURN(
      compliance::ConvertedLeaf leaf,
      compliance::ConvertLeaf(
          index, leaf_bytes,
          [](const ledger::crypto::KeyId&) -> std::optional<ledger::KeyInfo> {
            return std::nullopt;
          }));
  if (leaf.entry.payload_type == ledger::kKeyEventType) {
    return std::optional<IndexUpdate>();
  }
  if (leaf.entry.payload_type != kIndexUpdateType) {
    return absl::DataLossError(absl::StrCat("output leaf ", index, ": type ",
                                            leaf.entry.payload_type, ", want ",
                                            kIndexUpdateType));
  }
  absl::StatusOr<IndexUpdate> u = DecodeIndexUpdate(leaf.entry.payload);
  if (!u.ok()) {
    return absl::DataLossError(
        absl::StrCat("output leaf ", index, ": ", u.status().message()));
  }
  return std::optional<IndexUpdate>(*std::move(u));
}

absl::StatusOr<std::unique_ptr<OutputLog>> OutputLog::Create(
    ledger::Ledger* ledger, std::unique_ptr<ledger::EntrySigner> signer) {
  const std::optional<ledger::KeyInfo> info = ledger->FindKey(signer->key_id());
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_RULES ||
      info->revoked()) {
    return absl::PermissionDeniedError(
        absl::StrCat("the index key is not an enrolled, unrevoked rules key "
                     "of the output log ",
                     ledger->origin()));
  }
  signer->set_next_sequence(info->next_sequence);
  return std::unique_ptr<OutputLog>(new OutputLog(ledger, std::move(signer)));
}

absl::StatusOr<std::optional<IndexUpdate>> OutputLog::Last() const {
  // Scan back over key events (genesis, enrolments) to the last update.
  for (uint64_t i = ledger_->Size(); i-- > 0;) {
    ASSIGN_OR_RETURN(std::string leaf, ledger_->GetLeaf(i));
    ASSIGN_OR_RETURN(std::optional<IndexUpdate> u, IndexUpdateOfLeaf(i, leaf));
    if (u.has_value()) return u;
  }
  return std::optional<IndexUpdate>();
}

absl::StatusOr<bool> OutputLog::Publish(const IndexUpdate& update) {
  ASSIGN_OR_RETURN(std::optional<IndexUpdate> last, Last());
  bool appended = false;
  if (!last.has_value() || !(*last == update)) {
    ASSIGN_OR_RETURN(
        std::string envelope,
        signer_->SignNext(kIndexUpdateType, EncodeIndexUpdate(update)));
    const std::vector<ledger::AppendResult> r = ledger_->Append({envelope});
    if (!r[0].status.ok()) {
      const std::optional<ledger::KeyInfo> info =
          ledger_->FindKey(signer_->key_id());
      if (info.has_value()) signer_->set_next_sequence(info->next_sequence);
      return r[0].status;
    }
    appended = true;
  }
  RETURN_IF_ERROR(ledger_->PublishCheckpoint().status());
  return appended;
}

}  // namespace vindex
