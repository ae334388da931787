#include "index/model_answer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/map_fn.h"
#include "index/map_proof.h"
#include "index/model_map.h"
#include "index/model_totals.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"

namespace vindex {
namespace {

// kDataLoss "<what>: <why>", without repeating a prefix `why` already has.
absl::Status Lost(absl::string_view what, const absl::Status& why) {
  if (absl::StartsWith(why.message(), what)) {
    return absl::DataLossError(why.message());
  }
  return absl::DataLossError(absl::StrCat(what, ": ", why.message()));
}

}  // namespace

absl::StatusOr<IndexUpdate> VerifyOutputLeaf(uint64_t leaf_index,
                                             absl::string_view leaf,
                                             absl::Span<const Hash> proof,
                                             uint64_t output_size,
                                             const Hash& output_root) {
  if (output_size == 0 || leaf_index != output_size - 1) {
    return absl::DataLossError(
        absl::StrCat("stale index: the answer is from output leaf ", leaf_index,
                     ", the output log's last leaf is ", output_size - 1));
  }
  absl::Status included = ledger::merkle::VerifyInclusion(
      leaf_index, output_size, ledger::merkle::HashLeaf(leaf), proof,
      output_root);
  if (!included.ok()) return Lost("output leaf", included);
  absl::StatusOr<std::optional<IndexUpdate>> u =
      IndexUpdateOfLeaf(leaf_index, leaf);
  if (!u.ok()) return Lost("output leaf", u.status());
  if (!u->has_value()) {
    return absl::DataLossError("output leaf: not an IndexUpdate");
  }
  if (!IsKnownMapFnVersion((*u)->state.map_fn_version)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index built with MapFn v", (*u)->state.map_fn_version,
        ", this client checks v", kMapFnVersion1, " and v", kMapFnVersion));
  }
  return **u;
}

absl::Status CheckAsOf(std::optional<uint64_t> as_of, const IndexState& s) {
  if (as_of.has_value() && *as_of > s.input_size) {
    return absl::OutOfRangeError(absl::StrCat("as of size ", *as_of,
                                              ": the index is only as of size ",
                                              s.input_size));
  }
  return absl::OkStatus();
}

std::optional<Hash> FoldedTotals(absl::Span<const ProvenEntry> entries,
                                 absl::string_view model_id, uint32_t version) {
  if (version < 2) return std::nullopt;
  ModelMap map(version);
  for (const ProvenEntry& e : entries) {
    absl::StatusOr<MappedLeaf> leaf = MapLeaf(e.index, e.leaf);
    if (!leaf.ok() || std::find(leaf->models.begin(), leaf->models.end(),
                                model_id) == leaf->models.end()) {
      continue;  // VerifyEntries refuses it
    }
    if (!map.AddMapped(e.index, *leaf).ok()) continue;
  }
  const ModelMap::KeyState* k = map.Find(KeyHash(model_id));
  return TotalsHash(k == nullptr ? ModelTotals() : k->totals.totals());
}

absl::StatusOr<bool> VerifyMapValue(absl::string_view map_proof,
                                    const Hash& key, const Hash& map_root,
                                    const KeyValue& value) {
  absl::StatusOr<MapProof> proof = DecodeMapProof(map_proof);
  if (!proof.ok()) return Lost("map proof", proof.status());
  if (proof->kind != MapProof::Kind::kMember) {
    absl::Status absent = VerifyNonMembership(map_root, key, *proof);
    if (!absent.ok()) return Lost("map proof", absent);
    if (value.count != 0) {
      return absl::DataLossError("a list for a model the map proves absent");
    }
    return false;
  }
  absl::Status member = VerifyMembership(map_root, key, value, *proof);
  if (!member.ok()) {
    return Lost("the list does not make the proven (count, root)", member);
  }
  return true;
}

absl::Status VerifyEntries(absl::Span<const uint64_t> list,
                           absl::Span<const ProvenEntry> entries,
                           absl::string_view model_id, const IndexState& s,
                           bool allow_redacted) {
  if (entries.size() != list.size()) {
    return absl::DataLossError(
        absl::StrCat("entries: got ", entries.size(), ", want ", list.size()));
  }
  for (size_t j = 0; j < list.size(); ++j) {
    const ProvenEntry& e = entries[j];
    if (e.index != list[j] || (j > 0 && list[j] <= list[j - 1])) {
      return absl::DataLossError(
          absl::StrCat("entry ", j, ": leaf ", e.index, " out of order"));
    }
    if (e.redacted && (!allow_redacted || !e.leaf.empty())) {
      return absl::DataLossError(absl::StrCat(
          "entry at leaf ", e.index,
          allow_redacted ? " is redacted yet carries its leaf"
                         : " is redacted: a whole answer carries every leaf"));
    }
    absl::Status included = ledger::merkle::VerifyInclusion(
        e.index, s.input_size,
        e.redacted ? e.leaf_hash : ledger::merkle::HashLeaf(e.leaf), e.proof,
        s.input_root);
    if (!included.ok()) {
      return Lost(absl::StrCat("entry at leaf ", e.index), included);
    }
    if (e.redacted) continue;  // listed by the index; unseen here
    absl::StatusOr<std::vector<std::string>> models =
        ModelsOfLeaf(e.index, e.leaf);
    if (!models.ok() ||
        std::find(models->begin(), models->end(), model_id) == models->end()) {
      return absl::DataLossError(
          absl::StrCat("entry at leaf ", e.index, " is not about ", model_id,
                       " (MapFn v", s.map_fn_version, ")"));
    }
  }
  return absl::OkStatus();
}

ProvenEntry Redact(ProvenEntry entry) {
  if (entry.redacted) return entry;
  entry.leaf_hash = ledger::merkle::HashLeaf(entry.leaf);
  entry.leaf.clear();
  entry.redacted = true;
  return entry;
}

absl::StatusOr<std::vector<ProvenEntry>> ProveEntries(
    const ledger::Ledger& input, absl::Span<const uint64_t> list,
    uint64_t input_size) {
  std::vector<ProvenEntry> out;
  out.reserve(list.size());
  for (uint64_t i : list) {
    ProvenEntry e;
    e.index = i;
    ASSIGN_OR_RETURN(e.leaf, input.GetLeaf(i));
    ASSIGN_OR_RETURN(e.proof, input.InclusionProof(i, input_size));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<ModelAnswerHead> MakeModelHead(const IndexBuilder& builder,
                                              const ledger::Ledger& output,
                                              uint64_t output_size,
                                              absl::string_view model_id) {
  ModelAnswerHead h;
  if (output_size == 0) {
    return absl::FailedPreconditionError("the output log is empty");
  }
  h.output_leaf_index = output_size - 1;
  ASSIGN_OR_RETURN(h.output_leaf, output.GetLeaf(h.output_leaf_index));
  ASSIGN_OR_RETURN(h.output_proof,
                   output.InclusionProof(h.output_leaf_index, output_size));
  ASSIGN_OR_RETURN(std::optional<IndexUpdate> u,
                   IndexUpdateOfLeaf(h.output_leaf_index, h.output_leaf));
  const IndexState& s = builder.state();
  if (!u.has_value() || u->state.map_root != s.map_root ||
      u->state.input_size != s.input_size) {
    return absl::FailedPreconditionError(
        "the output log's last leaf is not the index's state (run the "
        "updater)");
  }
  h.map_proof = EncodeMapProof(builder.Prove(model_id, &h.value));
  return h;
}

namespace {

// The list's count and root (and totals), against the map proof.
absl::StatusOr<bool> CheckMap(const ModelAnswer& a, const Hash& key,
                              const Hash& map_root,
                              const std::optional<Hash>& totals) {
  ledger::merkle::CompactRange list;
  for (uint64_t i : a.list) list.Append(ListLeafHash(i), nullptr);
  KeyValue value{list.size(), list.Root()};
  if (totals.has_value()) {
    value.has_totals = true;
    value.totals_hash = *totals;
  }
  return VerifyMapValue(a.map_proof, key, map_root, value);
}

}  // namespace

absl::StatusOr<ModelAnswer> MakeModelAnswer(const IndexBuilder& builder,
                                            const ledger::Ledger& input,
                                            const ledger::Ledger& output,
                                            uint64_t output_size,
                                            absl::string_view model_id) {
  ASSIGN_OR_RETURN(ModelAnswerHead h,
                   MakeModelHead(builder, output, output_size, model_id));
  ModelAnswer a;
  a.output_leaf_index = h.output_leaf_index;
  a.output_leaf = std::move(h.output_leaf);
  a.output_proof = std::move(h.output_proof);
  a.map_proof = std::move(h.map_proof);
  ASSIGN_OR_RETURN(a.list, builder.List(model_id, 0, h.value.count));
  ASSIGN_OR_RETURN(a.entries,
                   ProveEntries(input, a.list, builder.state().input_size));
  return a;
}

absl::StatusOr<VerifiedModelEntries> VerifyModelAnswer(
    const ModelAnswer& answer, absl::string_view model_id, uint64_t output_size,
    const Hash& output_root, std::optional<uint64_t> as_of) {
  VerifiedModelEntries out;
  ASSIGN_OR_RETURN(
      out.update,
      VerifyOutputLeaf(answer.output_leaf_index, answer.output_leaf,
                       answer.output_proof, output_size, output_root));
  const IndexState& s = out.update.state;
  RETURN_IF_ERROR(CheckAsOf(as_of, s));
  ASSIGN_OR_RETURN(out.present, CheckMap(answer, KeyHash(model_id), s.map_root,
                                         FoldedTotals(answer.entries, model_id,
                                                      s.map_fn_version)));
  RETURN_IF_ERROR(VerifyEntries(answer.list, answer.entries, model_id, s));
  // As-of answers are prefixes: the list is ascending.
  for (const ProvenEntry& e : answer.entries) {
    if (as_of.has_value() && e.index >= *as_of) break;
    out.entries.push_back(e);
  }
  return out;
}

}  // namespace vindex
