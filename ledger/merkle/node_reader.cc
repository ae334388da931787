#include "ledger/merkle/node_reader.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/proof_plan.h"

namespace ledger::merkle {
namespace {

absl::StatusOr<std::vector<Hash>> ReadAndRehash(const ProofPlan& plan,
                                                NodeReader& reader,
                                                FoldMemo* memo) {
  if (plan.node_ids().empty()) return plan.Rehash({}, memo);
  ASSIGN_OR_RETURN(std::vector<Hash> fetched,
                   reader.ReadNodes(plan.node_ids()));
  if (fetched.size() != plan.node_ids().size()) {
    return absl::InternalError(
        absl::StrCat("NodeReader returned ", fetched.size(), " hashes for ",
                     plan.node_ids().size(), " node ids"));
  }
  return plan.Rehash(fetched, memo);
}

}  // namespace

absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 NodeReader& reader,
                                                 FoldMemo* memo) {
  ASSIGN_OR_RETURN(const ProofPlan plan, InclusionPlan(index, size));
  return ReadAndRehash(plan, reader, memo);
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t size1,
                                                   uint64_t size2,
                                                   NodeReader& reader,
                                                   FoldMemo* memo) {
  ASSIGN_OR_RETURN(const ProofPlan plan, ConsistencyPlan(size1, size2));
  return ReadAndRehash(plan, reader, memo);
}

}  // namespace ledger::merkle
