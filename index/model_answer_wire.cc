#include "index/model_answer_wire.h"

#include <algorithm>

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
    Hash h;
    std::copy(bytes.begin(), bytes.end(), h.begin());
    out.push_back(h);
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
  for (const ProvenEntry& e : a.entries) {
    aifl::index::v1::ProvenEntry* pe = p.add_entries();
    pe->set_index(e.index);
    pe->set_leaf(e.leaf);
    PutHashes(e.proof, pe->mutable_proof());
  }
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
  for (const aifl::index::v1::ProvenEntry& pe : p.entries()) {
    ProvenEntry e;
    e.index = pe.index();
    e.leaf = pe.leaf();
    ASSIGN_OR_RETURN(e.proof,
                     GetHashes(pe.proof(), absl::StrCat("entry ", e.index)));
    a.entries.push_back(std::move(e));
  }
  return a;
}

}  // namespace vindex
