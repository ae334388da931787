#include "collector/spool/ledger_record_signer.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "collector/spool/spool_file.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "schema/collector.pb.h"

namespace collector {
namespace spool {
namespace {

absl::StatusOr<uint64_t> ReadHighWater(const std::string& path) {
  auto bytes = common::ReadWholeFile(path);
  if (!bytes.ok()) return uint64_t{0};  // never written yet
  uint64_t value = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*bytes), &value)) {
    return absl::DataLossError(
        absl::StrCat("sequence high-water file ", path, " is malformed"));
  }
  return value;
}

}  // namespace

LedgerRecordSigner::LedgerRecordSigner(
    std::unique_ptr<ledger::crypto::SigningKey> key, std::string origin,
    uint64_t next, std::string high_water_path, uint64_t high_water)
    : signer_(std::move(key), std::move(origin), next),
      high_water_path_(std::move(high_water_path)),
      high_water_(high_water) {}

absl::StatusOr<std::unique_ptr<LedgerRecordSigner>> LedgerRecordSigner::Create(
    std::unique_ptr<ledger::crypto::SigningKey> key, std::string origin,
    const Spool& spool, std::string high_water_path,
    std::optional<uint64_t> ledger_next_sequence) {
  const ledger::crypto::KeyId id =
      ledger::crypto::ComputeKeyId(key->public_key());
  ASSIGN_OR_RETURN(uint64_t high_water, ReadHighWater(high_water_path));
  uint64_t next = std::max(high_water, ledger_next_sequence.value_or(0));
  ASSIGN_OR_RETURN(std::vector<SpoolEntry> entries, spool.All());
  for (const SpoolEntry& e : entries) {
    if (!e.sealed) continue;
    auto envelope = ledger::entry::ParseEnvelope(e.bytes);
    if (!envelope.ok() || ledger::crypto::KeyId(envelope->key_id) != id) {
      return absl::DataLossError(absl::StrCat("sealed spool entry ", e.id,
                                              " is not an envelope of key ",
                                              id.ToString()));
    }
    next = std::max(next, envelope->sequence + 1);
  }
  return std::unique_ptr<LedgerRecordSigner>(
      new LedgerRecordSigner(std::move(key), std::move(origin), next,
                             std::move(high_water_path), high_water));
}

absl::StatusOr<std::string> LedgerRecordSigner::SignNext(
    absl::string_view payload_type, absl::string_view payload) {
  return signer_.SignNext(payload_type, payload);
}

absl::StatusOr<std::string> LedgerRecordSigner::SignRefusalMarker(
    absl::string_view refused_envelope, const absl::Status& why) {
  ASSIGN_OR_RETURN(ledger::entry::Envelope refused,
                   ledger::entry::ParseEnvelope(refused_envelope));
  aifl::collector::v1::RecordRefused marker;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(
      digest, reinterpret_cast<const unsigned char*>(refused_envelope.data()),
      refused_envelope.size());
  marker.set_envelope_sha256(reinterpret_cast<const char*>(digest),
                             sizeof(digest));
  marker.set_payload_type(refused.payload_type);
  marker.set_code(static_cast<int>(why.code()));
  marker.set_reason(std::string(why.message()));
  return signer_.SignAt(refused.sequence, kRecordRefusedType,
                        marker.SerializeAsString());
}

absl::Status LedgerRecordSigner::Delivered(
    absl::Span<const std::string> envelopes) {
  uint64_t high = high_water_;
  for (const std::string& bytes : envelopes) {
    auto envelope = ledger::entry::ParseEnvelope(bytes);
    if (envelope.ok()) high = std::max(high, envelope->sequence + 1);
  }
  if (high == high_water_) return absl::OkStatus();
  const size_t slash = high_water_path_.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : high_water_path_.substr(0, slash);
  const std::string name = high_water_path_.substr(slash + 1);
  RETURN_IF_ERROR(WriteFileDurably(dir, name, absl::StrCat(high, "\n")));
  high_water_ = high;
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector
