#include "tools/ledgerctl/report_command.h"

#include <algorithm>
#include <chrono>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/citation_expansion.h"
#include "tools/ledgerctl/file_io.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/model_form.h"
#include "tools/ledgerctl/model_source.h"
#include "tools/ledgerctl/output_format.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;
namespace common_v1 = ::aifl::common::v1;

absl::StatusOr<ReportModel> GatherModel(ModelSource& source,
                                        const std::string& id) {
  const api::client::VerifiedCheckpoint& cp = source.checkpoint();
  ReportModel m;
  ASSIGN_OR_RETURN(m.detail, source.Model(id));
  ModelFormBuilder form(id);
  const v1::ModelSummary& s = m.detail.summary();
  m.status =
      ModelStatus(s.cumulative_compute_flop().lower(),
                  s.cumulative_compute_flop().upper(), s.open_findings());
  for (uint64_t index : m.detail.evidence_leaves()) {
    if (index >= cp.fields.size) continue;  // newer than the checkpoint
    ASSIGN_OR_RETURN(api::client::ProvenLeaf proven,
                     source.reader().ProveLeaf(cp, index));
    EvidenceItem item;
    item.index = index;
    item.leaf_hash =
        ledger::merkle::HashToBase64(ledger::merkle::HashLeaf(proven.leaf));
    for (const auto& h : proven.proof)
      item.proof.push_back(ledger::merkle::HashToBase64(h));
    absl::StatusOr<ledger::entry::Leaf> leaf =
        ledger::entry::ParseLeaf(proven.leaf);
    if (leaf.ok()) {
      item.integration_unix_micros = leaf->integration_time_micros;
      absl::StatusOr<ledger::entry::Envelope> envelope =
          ledger::entry::ParseEnvelope(leaf->envelope);
      if (envelope.ok()) {
        item.payload_type = envelope->payload_type;
        FoldEvidence(envelope->payload_type, envelope->payload, &m);
        form.AddPayload(index, envelope->payload_type, envelope->payload);
      }
    }
    m.evidence.push_back(std::move(item));
  }
  ASSIGN_OR_RETURN(m.findings, source.FindingsOf(s.model_id()));
  ASSIGN_OR_RETURN(m.citations, ExpandCitations(source, m.findings));
  m.form = form.Build();
  m.series = SortedByTime(m.series);
  return m;
}

}  // namespace

void FoldEvidence(const std::string& payload_type, const std::string& payload,
                  ReportModel* model) {
  if (payload_type == "aifl.provider.v1.ModelDeclaration") {
    aifl::provider::v1::ModelDeclaration d;
    if (!d.ParseFromString(payload)) return;
    model->declared_training_flop = d.compute().training().upper();
    model->declared_cumulative_flop = d.compute().cumulative().upper();
    return;
  }
  if (payload_type != "aifl.collector.v1.IntervalReport") return;
  aifl::collector::v1::IntervalReport r;
  if (!r.ParseFromString(payload)) return;
  bool training = false, cumulative = false;
  switch (r.purpose()) {
    case common_v1::PRE_TRAINING:
    case common_v1::FINE_TUNING:
    case common_v1::RUN_PURPOSE_UNSPECIFIED:  // counted, as the rules do
      training = cumulative = true;
      break;
    case common_v1::SYNTHETIC_DATA_NON_PUBLIC:
    case common_v1::MERGE_OR_INIT:
      cumulative = true;
      break;
    default:
      break;
  }
  ComputePoint p;
  if (!model->series.empty()) p = model->series.back();
  p.unix_ms = r.end_unix_ms();
  if (training) p.training_flop += r.flop().upper();
  if (cumulative) p.cumulative_flop += r.flop().upper();
  model->series.push_back(p);
}

std::vector<ComputePoint> SortedByTime(
    const std::vector<ComputePoint>& series) {
  struct Step {
    int64_t unix_ms;
    double training, cumulative;
  };
  std::vector<Step> steps;
  ComputePoint previous;
  for (const ComputePoint& p : series) {
    steps.push_back({p.unix_ms, p.training_flop - previous.training_flop,
                     p.cumulative_flop - previous.cumulative_flop});
    previous = p;
  }
  std::stable_sort(
      steps.begin(), steps.end(),
      [](const Step& a, const Step& b) { return a.unix_ms < b.unix_ms; });
  std::vector<ComputePoint> out;
  ComputePoint sum;
  for (const Step& s : steps) {
    sum.unix_ms = s.unix_ms;
    sum.training_flop += s.training;
    sum.cumulative_flop += s.cumulative;
    out.push_back(sum);
  }
  return out;
}

absl::Status Report(const CommandArgs& args, std::ostream& out) {
  const std::string only = absl::GetFlag(FLAGS_model);
  std::string path = absl::GetFlag(FLAGS_out);
  if (path.empty())
    path = only.empty() ? "ledger-report.html"
                        : absl::StrCat("report-", only, ".html");
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  const api::client::VerifiedCheckpoint& cp = source->checkpoint();
  ReportData data;
  data.generated_at =
      absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone());
  data.server = source->name();
  data.verifier_key = source->verifier_key();
  data.checkpoint_note = cp.note;
  data.tree_size = cp.fields.size;
  data.root = ledger::merkle::HashToBase64(cp.fields.root);
  {
    // Best effort: a caller that may not read the status gets no banner
    // (the simulated-clock mark is unsigned metadata, a warning only).
    aifl::api::v1::ServerStatus status;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    if (source->admin() != nullptr &&
        source->admin()
            ->GetStatus(&context, aifl::api::v1::GetStatusRequest(), &status)
            .ok() &&
        status.has_simulated_clock_since()) {
      data.simulated_clock_since = status.simulated_clock_since();
    }
  }
  std::vector<std::string> ids;
  if (!only.empty()) {
    ids.push_back(only);
  } else {
    ASSIGN_OR_RETURN(std::vector<v1::ModelSummary> models, source->Models());
    for (const auto& m : models) ids.push_back(ModelName(m));
  }
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(ReportModel m, GatherModel(*source, id));
    data.models.push_back(std::move(m));
  }
  const std::string html = RenderReport(data);
  RETURN_IF_ERROR(WriteWholeFile(path, html));
  if (args.json) {
    out << absl::StrFormat(
        "{\"file\": \"%s\", \"models\": %d, \"tree_size\": %d, \"bytes\": "
        "%d}\n",
        path, data.models.size(), data.tree_size, html.size());
  } else {
    out << "wrote " << path << ": " << data.models.size()
        << " model(s), evidence proven in checkpoint size " << data.tree_size
        << "\n";
  }
  return absl::OkStatus();
}

absl::Status Form(const CommandArgs& args, std::ostream& out) {
  const std::string id = absl::GetFlag(FLAGS_model);
  if (id.empty())
    return absl::InvalidArgumentError("--model: got nothing, want a model id");
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  const api::client::VerifiedCheckpoint& cp = source->checkpoint();
  ASSIGN_OR_RETURN(ReportModel m, GatherModel(*source, id));
  if (args.json) {
    out << ModelFormJson(m.form, cp.fields.size,
                         ledger::merkle::HashToBase64(cp.fields.root));
  } else {
    out << ModelFormText(m.form) << "  (every evidence leaf proven included "
        << "in the checkpoint of size " << cp.fields.size << ")\n";
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl
