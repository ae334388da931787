#include "tools/ledgerctl/index_answer_commands.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/index/input_tie.h"
#include "common/durable_file.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "index/index_builder.h"
#include "index/model_answer.h"
#include "index/model_answer_wire.h"
#include "index/totals_answer.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/ledger.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/index_commands.h"
#include "tools/ledgerctl/log_source.h"

ABSL_FLAG(std::string, answer, "",
          "model-complete: the answer file written by index-answer");
ABSL_FLAG(bool, totals, false,
          "index-answer: write the bounded totals answer (map version 2; "
          "index/totals_answer.h) instead of the complete answer");
ABSL_FLAG(int64_t, as_of, -1,
          "model-complete: only the entries below this input size (-1: all)");

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

// "2026-12-07T05:50:39Z" for the leaf's integration time, or "?".
std::string LeafTime(absl::string_view leaf_bytes) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) return "?";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", leaf->integration_time(),
                          absl::UTCTimeZone());
}

std::string PayloadType(absl::string_view leaf_bytes) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) return "?";
  absl::StatusOr<ledger::entry::Envelope> env =
      ledger::entry::ParseEnvelope(leaf->envelope);
  return env.ok() ? env->payload_type : "?";
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
  ASSIGN_OR_RETURN(std::unique_ptr<vindex::IndexBuilder> builder,
                   vindex::IndexBuilder::Open(store));
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

absl::Status ModelComplete(const CommandArgs& args, std::ostream& out) {
  const std::string model = absl::GetFlag(FLAGS_model);
  const std::string path = absl::GetFlag(FLAGS_answer);
  if (model.empty() || path.empty()) {
    return absl::InvalidArgumentError("--model and --answer are required");
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
  std::optional<uint64_t> as_of;
  if (absl::GetFlag(FLAGS_as_of) >= 0) as_of = absl::GetFlag(FLAGS_as_of);
  absl::StatusOr<vindex::VerifiedModelEntries> r = vindex::VerifyModelAnswer(
      answer, model, cp.fields.size, cp.fields.root, as_of);
  if (!r.ok()) {
    return absl::Status(
        r.status().code(),
        absl::StrCat("model-complete failed: ", r.status().message()));
  }
  // With an input source (--dir, --server or --tiles), the update's input
  // root must be a prefix of the log this client reads itself.
  std::string tie;
  if (!args.dir.empty() || !absl::GetFlag(FLAGS_server).empty() ||
      !absl::GetFlag(FLAGS_tiles).empty()) {
    ASSIGN_OR_RETURN(api::client::OpenedLog input, OpenLog(args));
    absl::StatusOr<uint64_t> at =
        api::index::CheckUpdateInInput(*input.reader, r->update);
    if (!at.ok()) {
      return absl::Status(
          at.status().code(),
          absl::StrCat("model-complete failed: ", at.status().message()));
    }
    tie = absl::StrCat("; input root consistent with ", input.reader->Source(),
                       " at size ", *at);
  }
  const uint64_t size = as_of.value_or(r->update.state.input_size);
  if (!r->present) {
    out << "absent: no entries about " << model << " as of size " << size
        << " (verified non-membership" << tie << ")\n";
    return absl::OkStatus();
  }
  out << "complete as of size " << size << " (indexed at "
      << LeafTime(answer.output_leaf) << "): " << r->entries.size()
      << " entries about " << model << tie << "\n";
  for (const vindex::ProvenEntry& e : r->entries) {
    out << "  leaf " << e.index << "  " << PayloadType(e.leaf) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl
