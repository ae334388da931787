#include "tools/ledgerctl/index_answer_commands.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/client/log_verifier.h"
#include "api/index/input_tie.h"
#include "api/index/model_entries_client.h"
#include "common/durable_file.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "index/index_builder.h"
#include "index/ledger_input.h"
#include "index/model_answer.h"
#include "index/model_answer_wire.h"
#include "index/totals_answer.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/index_commands.h"
#include "tools/ledgerctl/leaf_text.h"
#include "tools/ledgerctl/log_source.h"
#include "tools/ledgerctl/server_connection.h"

ABSL_FLAG(std::string, answer, "",
          "model-complete: the answer file written by index-answer");
ABSL_FLAG(bool, totals, false,
          "index-answer: write the bounded totals answer (map version 2; "
          "index/totals_answer.h) instead of the complete answer");
ABSL_FLAG(int64_t, as_of, -1,
          "model-complete: only the entries below this input size (-1: all)");
ABSL_FLAG(int64_t, page_size, 0,
          "model-complete --server: list elements per page (0: the server's, "
          "1000)");

namespace ledgerctl {
namespace {

absl::StatusOr<std::unique_ptr<ledger::Ledger>> OpenReadOnly(
    const std::string& dir, const char* flag) {
  if (dir.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, " is required"));
  }
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  return ledger::Ledger::Open(options);
}

}  // namespace

absl::Status IndexAnswer(const CommandArgs& args, std::ostream& out) {
  const std::string model = absl::GetFlag(FLAGS_model);
  const std::string path = absl::GetFlag(FLAGS_out);
  if (model.empty() || path.empty()) {
    return absl::InvalidArgumentError("--model and --out are required");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> input,
                   OpenReadOnly(args.dir, "dir"));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> output,
                   OpenReadOnly(absl::GetFlag(FLAGS_index_dir), "index_dir"));
  const std::string store = absl::GetFlag(FLAGS_index_store);
  if (store.empty()) {
    return absl::InvalidArgumentError("--index_store is required");
  }
  vindex::BuilderOptions options;
  options.input = vindex::LedgerLeaves(*input);
  ASSIGN_OR_RETURN(std::unique_ptr<vindex::IndexBuilder> builder,
                   vindex::IndexBuilder::Open(store, std::move(options)));
  if (absl::GetFlag(FLAGS_totals)) {
    ASSIGN_OR_RETURN(
        vindex::TotalsAnswer totals,
        vindex::MakeTotalsAnswer(*builder, *output, output->Size(), model));
    const std::string bytes = vindex::EncodeTotalsAnswer(totals);
    RETURN_IF_ERROR(common::WriteFileDurably(path, bytes));
    out << "totals answer for " << model << ": " << totals.count
        << " entries, as of input size " << builder->state().input_size << ", "
        << bytes.size() << " bytes, to " << path << "\n";
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(vindex::ModelAnswer answer,
                   vindex::MakeModelAnswer(*builder, *input, *output,
                                           output->Size(), model));
  RETURN_IF_ERROR(common::WriteFileDurably(
      path, vindex::ModelAnswerToProto(answer, model).SerializeAsString()));
  out << "answer for " << model << ": " << answer.entries.size()
      << " entries, as of input size " << builder->state().input_size << ", to "
      << path << "\n";
  return absl::OkStatus();
}

namespace {

// With an input source (--dir, --server or --tiles), the update's input
// root must be a prefix of the log this client reads itself, and (with
// --index_max_lag) not too far behind it. "" without an input source.
absl::StatusOr<std::string> TieToInput(const CommandArgs& args,
                                       const vindex::IndexUpdate& update) {
  if (args.dir.empty() && absl::GetFlag(FLAGS_server).empty() &&
      absl::GetFlag(FLAGS_tiles).empty()) {
    return std::string();
  }
  ASSIGN_OR_RETURN(api::client::OpenedLog input, OpenLog(args));
  ASSIGN_OR_RETURN(uint64_t at,
                   api::index::CheckUpdateInInput(*input.reader, update));
  if (absl::GetFlag(FLAGS_index_max_lag) >= 0) {
    RETURN_IF_ERROR(api::index::CheckIndexLag(
        update, at, static_cast<uint64_t>(absl::GetFlag(FLAGS_index_max_lag))));
  }
  return absl::StrCat("; input root consistent with ", input.reader->Source(),
                      " at size ", at);
}

absl::Status Failed(const absl::Status& why) {
  return absl::Status(why.code(),
                      absl::StrCat("model-complete failed: ", why.message()));
}

// "complete as of size N (indexed at T): K entries about M…" and the
// entries, or the verified absence.
void PrintAnswer(std::ostream& out, const std::string& model, bool present,
                 uint64_t size, absl::string_view output_leaf,
                 const std::vector<vindex::ProvenEntry>& entries,
                 const std::string& tie) {
  if (!present) {
    out << "absent: no entries about " << model << " as of size " << size
        << " (verified non-membership" << tie << ")\n";
    return;
  }
  size_t redacted = 0;
  for (const vindex::ProvenEntry& e : entries) redacted += e.redacted ? 1 : 0;
  out << "complete as of size " << size << " (indexed at "
      << LeafTime(output_leaf) << "): " << entries.size() << " entries about "
      << model << tie
      << (redacted == 0 ? ""
                        : absl::StrCat("; ", redacted,
                                       " redacted (not "
                                       "readable by you)"))
      << "\n";
  for (const vindex::ProvenEntry& e : entries) {
    if (e.redacted) {
      // Proven listed and included; the server withheld the leaf from this
      // reader (FORMAT.md, "Redacted entries").
      out << "  leaf " << e.index << "  redacted (not readable by you; leaf "
          << "hash " << ledger::merkle::HashToHex(e.leaf_hash) << ")\n";
      continue;
    }
    out << "  leaf " << e.index << "  " << LeafPayloadType(e.leaf) << "\n";
  }
}

std::optional<uint64_t> AsOf() {
  if (absl::GetFlag(FLAGS_as_of) < 0) return std::nullopt;
  return static_cast<uint64_t>(absl::GetFlag(FLAGS_as_of));
}

// model-complete --server: Audit.GetModelEntries, page by page.
absl::Status ModelCompleteOverServer(const CommandArgs& args,
                                     const std::string& model,
                                     std::ostream& out) {
  const std::string vkey = absl::GetFlag(FLAGS_index_vkey);
  if (vkey.empty()) {
    return absl::InvalidArgumentError(
        "--index_vkey (the output log's verifier key) is required with "
        "--server");
  }
  ASSIGN_OR_RETURN(api::client::LogVerifier index_log,
                   api::client::LogVerifier::Create(vkey));
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  api::index::ModelEntriesOptions options;
  options.as_of = AsOf();
  options.page_size = static_cast<uint32_t>(absl::GetFlag(FLAGS_page_size));
  options.refuse_redacted = absl::GetFlag(FLAGS_refuse_redacted);
  absl::StatusOr<api::index::VerifiedModelPages> r =
      api::index::FetchModelEntries(*conn.audit, index_log, model, options);
  if (!r.ok()) return Failed(r.status());
  absl::StatusOr<std::string> tie = TieToInput(args, r->answer.update());
  if (!tie.ok()) return Failed(tie.status());
  PrintAnswer(out, model, r->answer.present(),
              options.as_of.value_or(r->answer.update().state.input_size),
              r->head_output_leaf, r->answer.entries(),
              absl::StrCat(*tie, "; ", r->pages, " pages"));
  return absl::OkStatus();
}

}  // namespace

absl::Status ModelComplete(const CommandArgs& args, std::ostream& out) {
  const std::string model = absl::GetFlag(FLAGS_model);
  const std::string path = absl::GetFlag(FLAGS_answer);
  if (model.empty()) return absl::InvalidArgumentError("--model is required");
  if (path.empty()) {
    if (absl::GetFlag(FLAGS_server).empty()) {
      return absl::InvalidArgumentError(
          "--answer F (index-answer's file) or --server S "
          "(Audit.GetModelEntries) is required");
    }
    return ModelCompleteOverServer(args, model, out);
  }
  ASSIGN_OR_RETURN(api::client::LogSourceOptions source,
                   IndexLogSourceFromFlags(args));
  ASSIGN_OR_RETURN(std::string bytes, common::ReadWholeFile(path));
  aifl::index::v1::ModelAnswer proto;
  if (!proto.ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not an aifl.index.v1.ModelAnswer"));
  }
  ASSIGN_OR_RETURN(vindex::ModelAnswer answer,
                   vindex::ModelAnswerFromProto(proto));
  ASSIGN_OR_RETURN(api::client::OpenedLog index_log,
                   api::client::OpenLogReader(source));
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint cp,
                   index_log.reader->LatestCheckpoint());
  const std::optional<uint64_t> as_of = AsOf();
  absl::StatusOr<vindex::VerifiedModelEntries> r = vindex::VerifyModelAnswer(
      answer, model, cp.fields.size, cp.fields.root, as_of);
  if (!r.ok()) return Failed(r.status());
  absl::StatusOr<std::string> tie = TieToInput(args, r->update);
  if (!tie.ok()) return Failed(tie.status());
  PrintAnswer(out, model, r->present,
              as_of.value_or(r->update.state.input_size), answer.output_leaf,
              r->entries, *tie);
  return absl::OkStatus();
}

}  // namespace ledgerctl
