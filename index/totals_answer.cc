#include "index/totals_answer.h"

#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_proof.h"
#include "index/model_answer.h"
#include "ledger/crypto/sha256.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/verify.h"

namespace vindex {
namespace {

using ledger::entry::ByteReader;

constexpr uint8_t kAnswerFormat = 1;

void PutBytes(std::string* out, absl::string_view bytes) {
  ledger::entry::PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes.data(), bytes.size());
}

void PutHash(std::string* out, const Hash& h) {
  out->append(reinterpret_cast<const char*>(h.data()), h.size());
}

bool ReadBytes(ByteReader* in, std::string* out) {
  uint32_t n = 0;
  absl::string_view bytes;
  if (!in->ReadU32(&n) || !in->ReadBytes(n, &bytes)) return false;
  *out = std::string(bytes);
  return true;
}

bool ReadHash(ByteReader* in, Hash* h) {
  absl::string_view bytes;
  if (!in->ReadBytes(h->size(), &bytes)) return false;
  std::memcpy(h->data(), bytes.data(), h->size());
  return true;
}

absl::Status Lost(absl::string_view what, const absl::Status& why) {
  if (absl::StartsWith(why.message(), what)) {
    return absl::DataLossError(why.message());
  }
  return absl::DataLossError(absl::StrCat(what, ": ", why.message()));
}

// The update in the output log's last leaf, proven in (size, root).
absl::StatusOr<IndexUpdate> LastUpdate(const TotalsAnswer& a,
                                       uint64_t output_size,
                                       const Hash& output_root) {
  if (output_size == 0 || a.output_leaf_index != output_size - 1) {
    return absl::DataLossError(absl::StrCat(
        "stale index: the totals are from output leaf ", a.output_leaf_index,
        ", the output log's last leaf is ", output_size - 1));
  }
  absl::Status included = ledger::merkle::VerifyInclusion(
      a.output_leaf_index, output_size, ledger::merkle::HashLeaf(a.output_leaf),
      a.output_proof, output_root);
  if (!included.ok()) return Lost("output leaf", included);
  absl::StatusOr<std::optional<IndexUpdate>> u =
      IndexUpdateOfLeaf(a.output_leaf_index, a.output_leaf);
  if (!u.ok()) return Lost("output leaf", u.status());
  if (!u->has_value()) {
    return absl::DataLossError("output leaf: not an IndexUpdate");
  }
  if ((*u)->state.map_fn_version != kMapFnVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("index built with MapFn v", (*u)->state.map_fn_version,
                     ": totals need map version ", kMapFnVersion));
  }
  return **u;
}

}  // namespace

std::string EncodeTotalsAnswer(const TotalsAnswer& a) {
  std::string out(1, static_cast<char>(kAnswerFormat));
  ledger::entry::PutU64(&out, a.output_leaf_index);
  PutBytes(&out, a.output_leaf);
  out.push_back(static_cast<char>(a.output_proof.size()));
  for (const Hash& h : a.output_proof) PutHash(&out, h);
  PutBytes(&out, a.map_proof);
  ledger::entry::PutU64(&out, a.count);
  PutHash(&out, a.list_root);
  PutBytes(&out, a.totals);
  return out;
}

absl::StatusOr<TotalsAnswer> DecodeTotalsAnswer(absl::string_view bytes) {
  ByteReader in(bytes);
  TotalsAnswer a;
  uint8_t format = 0, hashes = 0;
  if (!in.ReadU8(&format) || format != kAnswerFormat ||
      !in.ReadU64(&a.output_leaf_index) || !ReadBytes(&in, &a.output_leaf) ||
      !in.ReadU8(&hashes)) {
    return absl::InvalidArgumentError("totals answer: bad header");
  }
  a.output_proof.resize(hashes);
  for (Hash& h : a.output_proof) {
    if (!ReadHash(&in, &h)) {
      return absl::InvalidArgumentError("totals answer: truncated proof");
    }
  }
  if (!ReadBytes(&in, &a.map_proof) || !in.ReadU64(&a.count) ||
      !ReadHash(&in, &a.list_root) || !ReadBytes(&in, &a.totals) ||
      in.remaining() != 0) {
    return absl::InvalidArgumentError(
        "totals answer: truncated or trailing bytes");
  }
  return a;
}

absl::StatusOr<TotalsAnswer> MakeTotalsAnswer(const IndexBuilder& builder,
                                              const ledger::Ledger& output,
                                              uint64_t output_size,
                                              absl::string_view model_id) {
  if (builder.state().map_fn_version < 2) {
    return absl::FailedPreconditionError(
        "a version 1 index holds no totals: rebuild it (map version 2)");
  }
  // The output leaf, its proof and the map proof: the one head code of a
  // model answer (index/model_answer.h).
  ASSIGN_OR_RETURN(ModelAnswerHead head,
                   MakeModelHead(builder, output, output_size, model_id));
  std::optional<ModelTotals> totals = builder.Totals(model_id);
  absl::StatusOr<MapProof> proof = DecodeMapProof(head.map_proof);
  if (!proof.ok() || proof->kind != MapProof::Kind::kMember ||
      !totals.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("the index has no model \"", model_id, "\""));
  }
  TotalsAnswer a;
  a.output_leaf_index = head.output_leaf_index;
  a.output_leaf = std::move(head.output_leaf);
  a.output_proof = std::move(head.output_proof);
  a.map_proof = std::move(head.map_proof);
  a.count = head.value.count;
  a.list_root = head.value.list_root;
  a.totals = EncodeTotals(*totals);
  return a;
}

absl::StatusOr<VerifiedTotals> VerifyTotalsAnswer(const TotalsAnswer& a,
                                                  absl::string_view model_id,
                                                  uint64_t output_size,
                                                  const Hash& output_root) {
  VerifiedTotals out;
  ASSIGN_OR_RETURN(out.update, LastUpdate(a, output_size, output_root));
  absl::StatusOr<ModelTotals> totals = DecodeTotals(a.totals);
  if (!totals.ok()) return Lost("totals", totals.status());
  absl::StatusOr<MapProof> proof = DecodeMapProof(a.map_proof);
  if (!proof.ok()) return Lost("map proof", proof.status());
  KeyValue value{a.count, a.list_root, true,
                 ledger::crypto::Sha256({a.totals})};
  absl::Status member = VerifyMembership(out.update.state.map_root,
                                         KeyHash(model_id), value, *proof);
  if (!member.ok()) {
    return Lost("the map does not hold these (count, list root, totals)",
                member);
  }
  out.count = a.count;
  out.list_root = a.list_root;
  out.totals = *std::move(totals);
  return out;
}

}  // namespace vindex
