#include "tools/ledgerctl/statement_totals.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/hash.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/model_form.h"
#include "tools/ledgerctl/statement_index.h"

namespace ledgerctl {
namespace {

constexpr char kDeclarationType[] = "aifl.provider.v1.ModelDeclaration";

absl::Status DataLoss(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("version 3 statement does not verify: ", what));
}

// The form from the index's totals and the latest of the declarations
// (all of the model itself), as ModelFormBuilder picks the one in force.
absl::StatusOr<ModelForm> FormOf(
    const std::string& model_id, const vindex::ModelTotals& totals,
    const std::vector<std::pair<uint64_t, ledger::entry::Envelope>>& entries) {
  aifl::provider::v1::ModelDeclaration latest;
  uint64_t latest_leaf = 0;
  bool any = false;
  for (const auto& [index, env] : entries) {
    aifl::provider::v1::ModelDeclaration d;
    if (env.payload_type != kDeclarationType ||
        !d.ParseFromString(env.payload) || d.model_id() != model_id) {
      return DataLoss(
          absl::StrCat("leaf ", index,
                       ": a version 3 statement carries only the model's "
                       "own declarations"));
    }
    if (!any || index > latest_leaf) {
      latest = std::move(d);
      latest_leaf = index;
      any = true;
    }
  }
  return FormFromTotals(model_id, totals, FormEvidence(),
                        any ? &latest : nullptr, latest_leaf);
}

std::string FormJson(const ModelForm& form,
                     const api::client::VerifiedCheckpoint& cp) {
  return ModelFormJson(form, cp.fields.size,
                       ledger::merkle::HashToBase64(cp.fields.root));
}

}  // namespace

absl::StatusOr<Statement> BuildTotalsStatement(
    api::client::LogReader& reader, const api::client::VerifiedCheckpoint& cp,
    const std::string& model_id,
    const std::vector<uint64_t>& declaration_leaves,
    const SignerLookup& signers,
    const api::client::VerifiedCheckpoint& index_cp,
    const vindex::TotalsAnswer& answer) {
  ASSIGN_OR_RETURN(
      vindex::VerifiedTotals v,
      vindex::VerifyTotalsAnswer(answer, model_id, index_cp.fields.size,
                                 index_cp.fields.root));
  RETURN_IF_ERROR(CheckIndexAsOf(v.update, cp));
  ASSIGN_OR_RETURN(Statement s, BuildStatement(reader, cp, model_id,
                                               declaration_leaves, signers));
  std::vector<std::pair<uint64_t, ledger::entry::Envelope>> entries;
  for (const StatementLeaf& l : s.leaves) {
    ASSIGN_OR_RETURN(ledger::entry::Leaf leaf,
                     ledger::entry::ParseLeaf(l.leaf));
    ASSIGN_OR_RETURN(ledger::entry::Envelope env,
                     ledger::entry::ParseEnvelope(leaf.envelope));
    entries.emplace_back(l.index, std::move(env));
  }
  absl::StatusOr<ModelForm> form = FormOf(model_id, v.totals, entries);
  if (!form.ok()) return absl::InvalidArgumentError(form.status().message());
  s.form_json = FormJson(*form, cp);
  s.index = StatementIndex{index_cp.note, vindex::EncodeTotalsAnswer(answer),
                           /*totals=*/true};
  return s;
}

absl::StatusOr<VerifiedStatement> VerifyTotalsStatement(
    const Statement& s, const api::client::LogVerifier& verifier,
    const api::client::LogVerifier& index_verifier) {
  if (!s.index.has_value() || !s.index->totals) {
    return absl::InvalidArgumentError("not a version 3 statement");
  }
  ASSIGN_OR_RETURN(VerifiedEntries e, VerifyStatementEntries(s, verifier));
  absl::StatusOr<api::client::VerifiedCheckpoint> index_cp =
      index_verifier.VerifyCheckpoint(s.index->checkpoint_note);
  if (!index_cp.ok()) return DataLoss(index_cp.status().message());
  absl::StatusOr<vindex::TotalsAnswer> answer =
      vindex::DecodeTotalsAnswer(s.index->answer);
  if (!answer.ok()) return DataLoss(answer.status().message());
  absl::StatusOr<vindex::VerifiedTotals> v = vindex::VerifyTotalsAnswer(
      *answer, s.model_id, index_cp->fields.size, index_cp->fields.root);
  if (!v.ok()) return DataLoss(v.status().message());
  if (absl::Status as_of = CheckIndexAsOf(v->update, e.checkpoint);
      !as_of.ok()) {
    return DataLoss(as_of.message());
  }
  // The list holds every interval the totals count and every declaration.
  if (v->count < v->totals.cumulative_intervals + e.entries.size()) {
    return DataLoss(absl::StrCat("the list has ", v->count,
                                 " entries, fewer than the intervals and "
                                 "declarations counted"));
  }
  ASSIGN_OR_RETURN(ModelForm form, FormOf(s.model_id, v->totals, e.entries));
  if (FormJson(form, e.checkpoint) != s.form_json) {
    return DataLoss(
        "the figures are not the index's totals (the form differs)");
  }
  return VerifiedStatement{e.checkpoint, std::move(form)};
}

}  // namespace ledgerctl
