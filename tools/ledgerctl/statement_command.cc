#include "tools/ledgerctl/statement_command.h"

#include <chrono>
#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "index/model_answer.pb.h"
#include "index/model_answer_wire.h"
#include "index/totals_answer.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/file_io.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/index_answer_commands.h"
#include "tools/ledgerctl/index_commands.h"
#include "tools/ledgerctl/model_form.h"
#include "tools/ledgerctl/model_source.h"
#include "tools/ledgerctl/statement.h"
#include "tools/ledgerctl/statement_index.h"
#include "tools/ledgerctl/statement_totals.h"

ABSL_FLAG(std::string, totals_answer, "",
          "statement: a totals answer (index-answer --totals) for the model: "
          "write a version 3 statement whose figures are the index's totals");

namespace ledgerctl {
namespace {

// The keys Admin.ListKeys shows this caller (a provider: the factory's and
// its own; api/README.md, "The provider's own view"), by key id.
absl::StatusOr<std::map<ledger::crypto::KeyId, StatementKey>> ListedKeys(
    ModelSource& source) {
  if (source.admin() == nullptr) {
    return absl::InvalidArgumentError(
        "statement: --server is required (the signers' keys come from it)");
  }
  aifl::api::v1::ListKeysResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  grpc::Status s = source.admin()->ListKeys(
      &context, aifl::api::v1::ListKeysRequest(), &response);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        absl::StrCat("Admin.ListKeys: ", s.error_message()));
  }
  std::map<ledger::crypto::KeyId, StatementKey> keys;
  for (const auto& k : response.keys()) {
    if (k.key_id().size() != ledger::crypto::kKeyIdSize) continue;
    std::array<uint8_t, ledger::crypto::kKeyIdSize> id{};
    std::copy(k.key_id().begin(), k.key_id().end(), id.begin());
    keys[ledger::crypto::KeyId(id)] = StatementKey{k.public_key(), k.role()};
  }
  return keys;
}

// With --answer (index-answer's file): makes `statement` version 2, the
// answer proven in the output log's latest checkpoint (--index_dir,
// --index_server or --index_tiles).
absl::Status MaybeAttachIndex(const CommandArgs& args,
                              const api::client::VerifiedCheckpoint& cp,
                              Statement* statement) {
  const std::string path = absl::GetFlag(FLAGS_answer);
  if (path.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string bytes, common::ReadWholeFile(path));
  aifl::index::v1::ModelAnswer proto;
  if (!proto.ParseFromString(bytes) ||
      proto.model_id() != statement->model_id) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not an aifl.index.v1.ModelAnswer for model \"",
                     statement->model_id, "\""));
  }
  ASSIGN_OR_RETURN(vindex::ModelAnswer answer,
                   vindex::ModelAnswerFromProto(proto));
  ASSIGN_OR_RETURN(api::client::LogSourceOptions source,
                   IndexLogSourceFromFlags(args));
  ASSIGN_OR_RETURN(api::client::OpenedLog index_log,
                   api::client::OpenLogReader(source));
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint index_cp,
                   index_log.reader->LatestCheckpoint());
  return AttachIndex(cp, index_cp, std::move(answer), statement);
}

// The model's own declarations among its evidence leaves (each read and
// proven: O(evidence) reads at the host; the statement holds only these).
absl::StatusOr<std::vector<uint64_t>> DeclarationLeaves(
    ModelSource& source, const std::string& model_id,
    const std::vector<uint64_t>& evidence) {
  std::vector<uint64_t> out;
  for (uint64_t index : evidence) {
    if (index >= source.checkpoint().fields.size) continue;
    ASSIGN_OR_RETURN(api::client::ProvenLeaf proven,
                     source.reader().ProveLeaf(source.checkpoint(), index));
    ASSIGN_OR_RETURN(ledger::entry::Leaf leaf,
                     ledger::entry::ParseLeaf(proven.leaf));
    ASSIGN_OR_RETURN(ledger::entry::Envelope env,
                     ledger::entry::ParseEnvelope(leaf.envelope));
    aifl::provider::v1::ModelDeclaration d;
    if (env.payload_type == "aifl.provider.v1.ModelDeclaration" &&
        d.ParseFromString(env.payload) && d.model_id() == model_id) {
      out.push_back(index);
    }
  }
  return out;
}

// With --totals_answer: the version 3 statement (statement_totals.h), the
// answer proven in the output log's latest checkpoint (--index_dir,
// --index_server or --index_tiles).
absl::StatusOr<Statement> TotalsStatement(const CommandArgs& args,
                                          ModelSource& source,
                                          const std::string& model_id,
                                          const std::vector<uint64_t>& evidence,
                                          const SignerLookup& signers) {
  const std::string path = absl::GetFlag(FLAGS_totals_answer);
  ASSIGN_OR_RETURN(std::string bytes, common::ReadWholeFile(path));
  absl::StatusOr<vindex::TotalsAnswer> answer =
      vindex::DecodeTotalsAnswer(bytes);
  if (!answer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", answer.status().message()));
  }
  ASSIGN_OR_RETURN(api::client::LogSourceOptions index_source,
                   IndexLogSourceFromFlags(args));
  ASSIGN_OR_RETURN(api::client::OpenedLog index_log,
                   api::client::OpenLogReader(index_source));
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint index_cp,
                   index_log.reader->LatestCheckpoint());
  ASSIGN_OR_RETURN(std::vector<uint64_t> declarations,
                   DeclarationLeaves(source, model_id, evidence));
  return BuildTotalsStatement(source.reader(), source.checkpoint(), model_id,
                              declarations, signers, index_cp, *answer);
}

}  // namespace

absl::Status StatementCommand(const CommandArgs& args, std::ostream& out) {
  const std::string id = absl::GetFlag(FLAGS_model);
  if (id.empty()) {
    return absl::InvalidArgumentError("--model: got nothing, want a model id");
  }
  std::string path = absl::GetFlag(FLAGS_out);
  if (path.empty()) path = absl::StrCat("statement-", id, ".txt");
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  ASSIGN_OR_RETURN(auto keys, ListedKeys(*source));
  ASSIGN_OR_RETURN(aifl::api::v1::ModelDetail detail, source->Model(id));
  const std::vector<uint64_t> evidence(detail.evidence_leaves().begin(),
                                       detail.evidence_leaves().end());
  SignerLookup signers =
      [&keys](const ledger::crypto::KeyId& key) -> std::optional<StatementKey> {
    auto it = keys.find(key);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  };
  Statement statement;
  if (!absl::GetFlag(FLAGS_totals_answer).empty()) {
    ASSIGN_OR_RETURN(statement,
                     TotalsStatement(args, *source, id, evidence, signers));
  } else {
    ASSIGN_OR_RETURN(statement,
                     BuildStatement(source->reader(), source->checkpoint(), id,
                                    evidence, signers));
    RETURN_IF_ERROR(MaybeAttachIndex(args, source->checkpoint(), &statement));
  }
  const std::string bytes = EncodeStatement(statement);
  RETURN_IF_ERROR(WriteWholeFile(path, bytes));
  if (args.json) {
    out << statement.form_json;
  } else {
    out << "wrote " << path << ": statement of model \"" << id << "\", "
        << statement.leaves.size() << " evidence entries, "
        << statement.keys.size() << " signer keys, "
        << (!statement.index.has_value() ? ""
            : statement.index->totals ? "with the index's proven totals (v3), "
                                      : "with the index's answer (v2), ")
        << "proven in the checkpoint "
        << "of size " << source->checkpoint().fields.size << ", "
        << bytes.size() << " bytes\n";
  }
  return absl::OkStatus();
}

namespace {

absl::Status VerifyV3(const CommandArgs& args, const Statement& statement,
                      const api::client::LogVerifier& verifier,
                      std::ostream& out) {
  const std::string index_vkey = absl::GetFlag(FLAGS_index_vkey);
  if (index_vkey.empty()) {
    return absl::InvalidArgumentError(
        "a version 3 statement: --index_vkey (the index output log's "
        "verifier key) is required");
  }
  ASSIGN_OR_RETURN(api::client::LogVerifier index_verifier,
                   api::client::LogVerifier::Create(index_vkey));
  ASSIGN_OR_RETURN(VerifiedStatement verified,
                   VerifyTotalsStatement(statement, verifier, index_verifier));
  if (args.json) {
    out << statement.form_json;
    return absl::OkStatus();
  }
  out << "ok: version 3 statement of model \"" << statement.model_id
      << "\": checkpoint of size " << verified.checkpoint.fields.size
      << " signed by the log, " << statement.leaves.size()
      << " declarations proven included and signed by provider keys; the "
         "measured figures are the index's totals, proven in its signed "
         "output checkpoint (trusted as far as the index's signers and "
         "replayers)\n"
      << ModelFormText(verified.form);
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyStatementCommand(const CommandArgs& args,
                                    std::ostream& out) {
  if (args.positional.size() != 1) {
    return absl::InvalidArgumentError(
        "verify-statement: want one FILE (and --vkey)");
  }
  const std::string vkey = absl::GetFlag(FLAGS_vkey);
  if (vkey.empty()) {
    return absl::InvalidArgumentError(
        "--vkey is required: the log's verifier key");
  }
  ASSIGN_OR_RETURN(api::client::LogVerifier verifier,
                   api::client::LogVerifier::Create(vkey));
  ASSIGN_OR_RETURN(std::string bytes,
                   common::ReadWholeFile(args.positional[0]));
  ASSIGN_OR_RETURN(Statement statement, ParseStatement(bytes));
  if (statement.index.has_value() && statement.index->totals) {
    return VerifyV3(args, statement, verifier, out);
  }
  ASSIGN_OR_RETURN(VerifiedStatement verified,
                   VerifyStatement(statement, verifier));
  std::string index_note;
  if (statement.index.has_value()) {
    const std::string index_vkey = absl::GetFlag(FLAGS_index_vkey);
    if (index_vkey.empty()) {
      return absl::InvalidArgumentError(
          "a version 2 statement: --index_vkey (the index output log's "
          "verifier key) is required");
    }
    ASSIGN_OR_RETURN(api::client::LogVerifier index_verifier,
                     api::client::LogVerifier::Create(index_vkey));
    RETURN_IF_ERROR(
        VerifyStatementIndex(statement, verified.checkpoint, index_verifier));
    index_note =
        "; the index (signed output checkpoint, map proof) lists no "
        "interval or declaration of the model that the evidence leaves out";
  }
  if (args.json) {
    out << statement.form_json;
    return absl::OkStatus();
  }
  out << "ok: statement of model \"" << statement.model_id
      << "\": checkpoint of size " << verified.checkpoint.fields.size
      << " signed by the log, " << statement.leaves.size()
      << " evidence entries proven included and signed by enrolled-role keys, "
      << "the figures re-fold from them" << index_note << "\n"
      << ModelFormText(verified.form);
  return absl::OkStatus();
}

}  // namespace ledgerctl
