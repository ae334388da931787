#include "index/model_answer_wire.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vindex {
namespace {

template <typename Repeated>
void PutHashes(const std::vector<Hash>& hashes, Repeated* out) {
  for (const Hash& h : hashes) {
    out->Add(std::string(reinterpret_cast<const char*>(h.data()), h.size()));
  }
}

template <typename Repeated>
absl::StatusOr<std::vector<Hash>> GetHashes(const Repeated& in,
                                            absl::string_view what) {
  std::vector<Hash> out;
  for (const std::string& bytes : in) {
    if (bytes.size() != 32) {
      return absl::InvalidArgumentError(absl::StrCat(what, " hash ", out.size(),
                                                     ": got ", bytes.size(),
                                                     " bytes, want 32"));
    }
    out.push_back(HashOfBytes(bytes));
  }
  return out;
}

void PutEntries(
    const std::vector<ProvenEntry>& entries,
    google::protobuf::RepeatedPtrField<aifl::index::v1::ProvenEntry>* out) {
  for (const ProvenEntry& e : entries) {
    aifl::index::v1::ProvenEntry* pe = out->Add();
    pe->set_index(e.index);
    pe->set_leaf(e.leaf);
    PutHashes(e.proof, pe->mutable_proof());
    if (e.redacted) pe->set_leaf_hash(std::string(HashBytes(e.leaf_hash)));
  }
}

absl::StatusOr<std::vector<ProvenEntry>> GetEntries(
    const google::protobuf::RepeatedPtrField<aifl::index::v1::ProvenEntry>&
        in) {
  std::vector<ProvenEntry> out;
  for (const aifl::index::v1::ProvenEntry& pe : in) {
    ProvenEntry e;
    e.index = pe.index();
    e.leaf = pe.leaf();
    ASSIGN_OR_RETURN(e.proof,
                     GetHashes(pe.proof(), absl::StrCat("entry ", e.index)));
    if (!pe.leaf_hash().empty()) {
      if (pe.leaf_hash().size() != sizeof(Hash) || !pe.leaf().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "entry ", e.index, ": a redacted entry has an empty leaf and a ",
            "32-byte leaf_hash"));
      }
      e.redacted = true;
      e.leaf_hash = HashOfBytes(pe.leaf_hash());
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

aifl::index::v1::ModelAnswer ModelAnswerToProto(const ModelAnswer& a,
                                                const std::string& model_id) {
  aifl::index::v1::ModelAnswer p;
  p.set_model_id(model_id);
  p.set_output_leaf_index(a.output_leaf_index);
  p.set_output_leaf(a.output_leaf);
  PutHashes(a.output_proof, p.mutable_output_proof());
  p.set_map_proof(a.map_proof);
  for (uint64_t i : a.list) p.add_list(i);
  PutEntries(a.entries, p.mutable_entries());
  return p;
}

absl::StatusOr<ModelAnswer> ModelAnswerFromProto(
    const aifl::index::v1::ModelAnswer& p) {
  ModelAnswer a;
  a.output_leaf_index = p.output_leaf_index();
  a.output_leaf = p.output_leaf();
  ASSIGN_OR_RETURN(a.output_proof, GetHashes(p.output_proof(), "output_proof"));
  a.map_proof = p.map_proof();
  a.list.assign(p.list().begin(), p.list().end());
  ASSIGN_OR_RETURN(a.entries, GetEntries(p.entries()));
  return a;
}

aifl::index::v1::ModelAnswerHead ModelHeadToProto(const ModelAnswerHead& h) {
  aifl::index::v1::ModelAnswerHead p;
  p.set_output_leaf_index(h.output_leaf_index);
  p.set_output_leaf(h.output_leaf);
  PutHashes(h.output_proof, p.mutable_output_proof());
  p.set_map_proof(h.map_proof);
  p.set_count(h.value.count);
  p.set_list_root(
      std::string(reinterpret_cast<const char*>(h.value.list_root.data()), 32));
  if (h.value.has_totals) {
    p.set_totals_hash(std::string(
        reinterpret_cast<const char*>(h.value.totals_hash.data()), 32));
  }
  return p;
}

absl::StatusOr<ModelAnswerHead> ModelHeadFromProto(
    const aifl::index::v1::ModelAnswerHead& p) {
  ModelAnswerHead h;
  h.output_leaf_index = p.output_leaf_index();
  h.output_leaf = p.output_leaf();
  ASSIGN_OR_RETURN(h.output_proof, GetHashes(p.output_proof(), "output_proof"));
  h.map_proof = p.map_proof();
  h.value.count = p.count();
  google::protobuf::RepeatedPtrField<std::string> root;
  root.Add()->assign(p.list_root());
  if (!p.totals_hash().empty()) root.Add()->assign(p.totals_hash());
  ASSIGN_OR_RETURN(std::vector<Hash> r, GetHashes(root, "list_root"));
  h.value.list_root = r[0];
  if (r.size() > 1) {
    h.value.has_totals = true;
    h.value.totals_hash = r[1];
  }
  return h;
}

aifl::index::v1::ModelPage ModelPageToProto(const ModelPage& page) {
  aifl::index::v1::ModelPage p;
  p.set_start(page.start);
  for (uint64_t i : page.list) p.add_list(i);
  PutHashes(page.range.left, p.mutable_range_left());
  PutHashes(page.range.right, p.mutable_range_right());
  PutEntries(page.entries, p.mutable_entries());
  return p;
}

absl::StatusOr<ModelPage> ModelPageFromProto(
    const aifl::index::v1::ModelPage& p) {
  ModelPage page;
  page.start = p.start();
  page.list.assign(p.list().begin(), p.list().end());
  ASSIGN_OR_RETURN(page.range.left, GetHashes(p.range_left(), "range_left"));
  ASSIGN_OR_RETURN(page.range.right, GetHashes(p.range_right(), "range_right"));
  ASSIGN_OR_RETURN(page.entries, GetEntries(p.entries()));
  return page;
}

}  // namespace vindex
