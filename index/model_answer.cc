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

// The update in the output log's last leaf, proven in (size, root).
absl::StatusOr<IndexUpdate> ProvenUpdate(const ModelAnswer& a,
                                         uint64_t output_size,
                                         const Hash& output_root) {
  if (output_size == 0 || a.output_leaf_index != output_size - 1) {
    return absl::DataLossError(absl::StrCat(
        "stale index: the answer is from output leaf ", a.output_leaf_index,
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
  if (!IsKnownMapFnVersion((*u)->state.map_fn_version)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index built with MapFn v", (*u)->state.map_fn_version,
        ", this client checks v", kMapFnVersion1, " and v", kMapFnVersion));
  }
  return **u;
}

// Version 2: the totals hash the answer's entries fold to (checked against
// the map proof with the list; CheckEntries then checks every entry).
std::optional<Hash> FoldedTotals(const ModelAnswer& a,
                                 absl::string_view model_id, uint32_t version) {
  if (version < 2) return std::nullopt;
  ModelMap map(version);
  for (const ProvenEntry& e : a.entries) {
    absl::StatusOr<MappedLeaf> leaf = MapLeaf(e.index, e.leaf);
    if (!leaf.ok() || std::find(leaf->models.begin(), leaf->models.end(),
                                model_id) == leaf->models.end()) {
      continue;  // CheckEntries refuses it
    }
    if (!map.AddMapped(e.index, *leaf).ok()) continue;
  }
  const ModelMap::KeyState* k = map.Find(KeyHash(model_id));
  return TotalsHash(k == nullptr ? ModelTotals() : k->totals.totals());
}

// The list's count and root (and totals), against the map proof.
absl::StatusOr<bool> CheckMap(const ModelAnswer& a, const Hash& key,
                              const Hash& map_root,
                              const std::optional<Hash>& totals) {
  absl::StatusOr<MapProof> proof = DecodeMapProof(a.map_proof);
  if (!proof.ok()) return Lost("map proof", proof.status());
  if (proof->kind != MapProof::Kind::kMember) {
    absl::Status absent = VerifyNonMembership(map_root, key, *proof);
    if (!absent.ok()) return Lost("map proof", absent);
    if (!a.list.empty()) {
      return absl::DataLossError("a list for a model the map proves absent");
    }
    return false;
  }
  ledger::merkle::CompactRange list;
  for (uint64_t i : a.list) list.Append(ListLeafHash(i), nullptr);
  KeyValue value{list.size(), list.Root()};
  if (totals.has_value()) {
    value.has_totals = true;
    value.totals_hash = *totals;
  }
  absl::Status member = VerifyMembership(map_root, key, value, *proof);
  if (!member.ok()) {
    return Lost("the list does not make the proven (count, root)", member);
  }
  return true;
}

absl::Status CheckEntries(const ModelAnswer& a, absl::string_view model_id,
                          const IndexState& s) {
  if (a.entries.size() != a.list.size()) {
    return absl::DataLossError(absl::StrCat("entries: got ", a.entries.size(),
                                            ", want ", a.list.size()));
  }
  for (size_t j = 0; j < a.list.size(); ++j) {
    const ProvenEntry& e = a.entries[j];
    if (e.index != a.list[j] || (j > 0 && a.list[j] <= a.list[j - 1])) {
      return absl::DataLossError(
          absl::StrCat("entry ", j, ": leaf ", e.index, " out of order"));
    }
    absl::Status included = ledger::merkle::VerifyInclusion(
        e.index, s.input_size, ledger::merkle::HashLeaf(e.leaf), e.proof,
        s.input_root);
    if (!included.ok()) {
      return Lost(absl::StrCat("entry at leaf ", e.index), included);
    }
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

}  // namespace

absl::StatusOr<ModelAnswer> MakeModelAnswer(const IndexBuilder& builder,
                                            const ledger::Ledger& input,
                                            const ledger::Ledger& output,
                                            uint64_t output_size,
                                            absl::string_view model_id) {
  ModelAnswer a;
  if (output_size == 0) {
    return absl::FailedPreconditionError("the output log is empty");
  }
  a.output_leaf_index = output_size - 1;
  ASSIGN_OR_RETURN(a.output_leaf, output.GetLeaf(a.output_leaf_index));
  ASSIGN_OR_RETURN(a.output_proof,
                   output.InclusionProof(a.output_leaf_index, output_size));
  ASSIGN_OR_RETURN(std::optional<IndexUpdate> u,
                   IndexUpdateOfLeaf(a.output_leaf_index, a.output_leaf));
  const IndexState& s = builder.state();
  if (!u.has_value() || u->state.map_root != s.map_root ||
      u->state.input_size != s.input_size) {
    return absl::FailedPreconditionError(
        "the output log's last leaf is not the index's state (run the "
        "updater)");
  }
  KeyValue value;
  a.map_proof = EncodeMapProof(builder.Prove(model_id, &value));
  ASSIGN_OR_RETURN(a.list, builder.List(model_id, 0, value.count));
  for (uint64_t i : a.list) {
    ProvenEntry e;
    e.index = i;
    ASSIGN_OR_RETURN(e.leaf, input.GetLeaf(i));
    ASSIGN_OR_RETURN(e.proof, input.InclusionProof(i, s.input_size));
    a.entries.push_back(std::move(e));
  }
  return a;
}

absl::StatusOr<VerifiedModelEntries> VerifyModelAnswer(
    const ModelAnswer& answer, absl::string_view model_id, uint64_t output_size,
    const Hash& output_root, std::optional<uint64_t> as_of) {
  VerifiedModelEntries out;
  ASSIGN_OR_RETURN(out.update, ProvenUpdate(answer, output_size, output_root));
  const IndexState& s = out.update.state;
  if (as_of.has_value() && *as_of > s.input_size) {
    return absl::OutOfRangeError(absl::StrCat("as of size ", *as_of,
                                              ": the index is only as of size ",
                                              s.input_size));
  }
  ASSIGN_OR_RETURN(out.present,
                   CheckMap(answer, KeyHash(model_id), s.map_root,
                            FoldedTotals(answer, model_id, s.map_fn_version)));
  RETURN_IF_ERROR(CheckEntries(answer, model_id, s));
  // As-of answers are prefixes: the list is ascending.
  for (const ProvenEntry& e : answer.entries) {
    if (as_of.has_value() && e.index >= *as_of) break;
    out.entries.push_back(e);
  }
  return out;
}

}  // namespace vindex
