#include "tools/ledgerctl/statement_index.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/model_answer.pb.h"
#include "index/model_answer_wire.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "schema/provider.pb.h"

namespace ledgerctl {
namespace {

absl::Status DataLoss(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("statement's index part does not verify: ", what));
}

// Whether the form folds this entry about `model_id`
// (ModelFormBuilder::AddPayload): its IntervalReports, and declarations of
// the model itself, not one that names it only as a base model (MapFn
// lists those under the base too).
bool Folded(const ledger::entry::Envelope& env, const std::string& model_id) {
  if (env.payload_type == "aifl.collector.v1.IntervalReport") return true;
  if (env.payload_type != "aifl.provider.v1.ModelDeclaration") return false;
  aifl::provider::v1::ModelDeclaration d;
  return d.ParseFromString(env.payload) && d.model_id() == model_id;
}

}  // namespace

absl::Status CheckIndexAsOf(const vindex::IndexUpdate& update,
                            const api::client::VerifiedCheckpoint& cp) {
  if (update.state.input_size != cp.fields.size ||
      update.state.input_root != cp.fields.root) {
    return absl::FailedPreconditionError(
        absl::StrCat("the index is as of input size ", update.state.input_size,
                     ", the statement's checkpoint of size ", cp.fields.size,
                     ": run index-update to that checkpoint first"));
  }
  return absl::OkStatus();
}

absl::Status AttachIndex(const api::client::VerifiedCheckpoint& cp,
                         const api::client::VerifiedCheckpoint& index_cp,
                         vindex::ModelAnswer answer, Statement* statement) {
  // The index's state is checked by the verifier; here only a clear error
  // for an index that lags the statement's checkpoint.
  ASSIGN_OR_RETURN(vindex::VerifiedModelEntries v,
                   vindex::VerifyModelAnswer(
                       answer, statement->model_id, index_cp.fields.size,
                       index_cp.fields.root, std::nullopt));
  RETURN_IF_ERROR(CheckIndexAsOf(v.update, cp));
  std::map<uint64_t, bool> in_statement;
  for (const StatementLeaf& l : statement->leaves) in_statement[l.index] = true;
  for (vindex::ProvenEntry& e : answer.entries) {
    if (in_statement.count(e.index) == 0) continue;
    e.leaf.clear();
    e.proof.clear();
  }
  statement->index = StatementIndex{
      index_cp.note, vindex::ModelAnswerToProto(answer, statement->model_id)
                         .SerializeAsString()};
  return absl::OkStatus();
}

absl::Status VerifyStatementIndex(
    const Statement& statement, const api::client::VerifiedCheckpoint& cp,
    const api::client::LogVerifier& index_verifier) {
  if (!statement.index.has_value() || statement.index->totals) {
    return absl::InvalidArgumentError(
        "not a version 2 statement (no index answer part)");
  }
  absl::StatusOr<api::client::VerifiedCheckpoint> index_cp =
      index_verifier.VerifyCheckpoint(statement.index->checkpoint_note);
  if (!index_cp.ok()) return DataLoss(index_cp.status().message());
  aifl::index::v1::ModelAnswer proto;
  if (!proto.ParseFromString(statement.index->answer) ||
      proto.model_id() != statement.model_id) {
    return DataLoss("not an aifl.index.v1.ModelAnswer for the model");
  }
  absl::StatusOr<vindex::ModelAnswer> answer =
      vindex::ModelAnswerFromProto(proto);
  if (!answer.ok()) return DataLoss(answer.status().message());
  std::map<uint64_t, const StatementLeaf*> leaves;
  for (const StatementLeaf& l : statement.leaves) leaves[l.index] = &l;
  for (vindex::ProvenEntry& e : answer->entries) {
    auto it = leaves.find(e.index);
    if (!e.leaf.empty() || it == leaves.end()) continue;
    // Proven against `cp`; the check below makes it the index's input tree.
    e.leaf = it->second->leaf;
    e.proof = it->second->proof;
  }
  absl::StatusOr<vindex::VerifiedModelEntries> v = vindex::VerifyModelAnswer(
      *answer, statement.model_id, index_cp->fields.size, index_cp->fields.root,
      std::nullopt);
  if (!v.ok()) return DataLoss(v.status().message());
  if (absl::Status as_of = CheckIndexAsOf(v->update, cp); !as_of.ok()) {
    return DataLoss(as_of.message());
  }
  for (const vindex::ProvenEntry& e : v->entries) {
    if (leaves.count(e.index) != 0) continue;
    ASSIGN_OR_RETURN(ledger::entry::Leaf leaf,
                     ledger::entry::ParseLeaf(e.leaf));
    ASSIGN_OR_RETURN(ledger::entry::Envelope env,
                     ledger::entry::ParseEnvelope(leaf.envelope));
    if (Folded(env, statement.model_id)) {
      return DataLoss(absl::StrCat("the index lists leaf ", e.index, " (",
                                   env.payload_type,
                                   ") about the model; the evidence leaves "
                                   "it out"));
    }
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl
