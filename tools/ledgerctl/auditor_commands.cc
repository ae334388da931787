#include "tools/ledgerctl/auditor_commands.h"

#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/client/rpc_status.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "tools/ledgerctl/citation_expansion.h"
#include "tools/ledgerctl/finding_format.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/leaf_text.h"
#include "tools/ledgerctl/model_source.h"
#include "tools/ledgerctl/output_format.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;

std::string StatusOf(const v1::ModelSummary& m) {
  return ModelStatus(m.cumulative_compute_flop().lower(),
                     m.cumulative_compute_flop().upper(), m.open_findings());
}

// The model's evidence leaves, each proven in the source's checkpoint:
// (index, payload type).
absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ProvenEvidence(
    ModelSource& source, const v1::ModelDetail& detail) {
  std::vector<std::pair<uint64_t, std::string>> evidence;
  for (uint64_t index : detail.evidence_leaves()) {
    ASSIGN_OR_RETURN(api::client::ProvenLeaf proven,
                     source.reader().ProveLeaf(source.checkpoint(), index));
    evidence.emplace_back(index, LeafPayloadType(proven.leaf));
  }
  return evidence;
}

absl::StatusOr<std::string> RequireModel() {
  const std::string id = absl::GetFlag(FLAGS_model);
  if (id.empty()) return absl::InvalidArgumentError("--model is required");
  return id;
}

}  // namespace

absl::Status Models(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  ASSIGN_OR_RETURN(std::vector<v1::ModelSummary> models, source->Models());
  if (args.json) {
    out << "[";
    for (size_t i = 0; i < models.size(); ++i) {
      out << (i ? ",\n " : "\n ") << "{\"summary\": " << ToJson(models[i])
          << ", \"status\": " << common::JsonQuote(StatusOf(models[i])) << "}";
    }
    out << "\n]\n";
    return absl::OkStatus();
  }
  out << absl::StrFormat("%-24s %-20s %-16s %-16s %-9s %-5s %s\n", "MODEL",
                         "PROVIDER", "TRAINING_FLOP", "CUMULATIVE_FLOP",
                         "ENERGY_J", "RUNS", "STATUS");
  for (const v1::ModelSummary& m : models) {
    out << absl::StrFormat(
        "%-24s %-20s %-16s %-16s %-9s %-5d %s\n", m.model_id(),
        m.provider().empty() ? "-" : m.provider(),
        FlopRangeText(m.training_compute_flop().lower(),
                      m.training_compute_flop().upper()),
        FlopRangeText(m.cumulative_compute_flop().lower(),
                      m.cumulative_compute_flop().upper()),
        TwoSignificant(m.energy_joules()), m.runs(), StatusOf(m));
    // An AI Office ledger's global model: the share of each factory.
    for (const aifl::office::v1::FactoryShare& f : m.factories()) {
      out << absl::StrFormat(
          "  at %-21s %-20s %-16s %-16s %-9s %-5d %s\n", f.origin(), "",
          FlopRangeText(f.measured_training().lower(),
                        f.measured_training().upper()),
          FlopRangeText(f.measured_cumulative().lower(),
                        f.measured_cumulative().upper()),
          TwoSignificant(f.accelerator_energy_joules()), f.runs(),
          absl::StrCat(f.counted_leaves(), " interval leaves"));
    }
  }
  return absl::OkStatus();
}

absl::Status Model(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(std::string id, RequireModel());
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  ASSIGN_OR_RETURN(v1::ModelDetail detail, source->Model(id));
  const api::client::VerifiedCheckpoint& cp = source->checkpoint();
  ASSIGN_OR_RETURN(auto evidence, ProvenEvidence(*source, detail));
  const v1::ModelSummary& s = detail.summary();
  const std::string root = ledger::merkle::HashToBase64(cp.fields.root);
  // Before printing: an expansion that fails leaves no partial output.
  std::vector<v1::RecordedFinding> findings;
  std::vector<ExpandedCitation> expanded;
  if (!args.json || absl::GetFlag(FLAGS_expand_index)) {
    ASSIGN_OR_RETURN(findings, source->FindingsOf(s.model_id()));
    ASSIGN_OR_RETURN(expanded, ExpandCitations(*source, findings));
  }
  if (args.json) {
    out << "{\"detail\": " << ToJson(detail)
        << ", \"status\": " << common::JsonQuote(StatusOf(s))
        << ", \"evidence_proven_at\": {\"size\": " << cp.fields.size
        << ", \"root\": \"" << root << "\"}" << CitationsJson(expanded)
        << "}\n";
    return absl::OkStatus();
  }
  out << "model " << s.model_id() << "\n"
      << "  provider: " << (s.provider().empty() ? "-" : s.provider())
      << "   base model: "
      << (s.base_model_id().empty() ? "-" : s.base_model_id()) << "\n"
      << "  training compute (FLOP): "
      << FlopRangeText(s.training_compute_flop().lower(),
                       s.training_compute_flop().upper())
      << "\n"
      << "  cumulative compute (FLOP): "
      << FlopRangeText(s.cumulative_compute_flop().lower(),
                       s.cumulative_compute_flop().upper())
      << "\n"
      << "  energy: " << TwoSignificant(s.energy_joules())
      << " J   runs: " << s.runs() << "   open findings: " << s.open_findings()
      << "\n"
      << "  status: " << StatusOf(s) << "\n";
  if (s.factories_size() > 0) {
    // An AI Office ledger's global model: what each factory's log holds.
    out << "share of each factory (measured; evidence counts):\n";
    for (const aifl::office::v1::FactoryShare& f : s.factories()) {
      out << "  at " << f.origin() << ": training "
          << FlopRangeText(f.measured_training().lower(),
                           f.measured_training().upper())
          << ", cumulative "
          << FlopRangeText(f.measured_cumulative().lower(),
                           f.measured_cumulative().upper())
          << " FLOP, energy " << TwoSignificant(f.accelerator_energy_joules())
          << " J, runs " << f.runs() << ", declarations " << f.declarations()
          << ", documents " << f.documents() << ", interval leaves "
          << f.counted_leaves() << "\n";
    }
  }
  out << "compute by scheduler account (FLOP, upper bound):\n";
  std::map<std::string, double> accounts(detail.compute_by_account().begin(),
                                         detail.compute_by_account().end());
  for (const auto& [account, flop] : accounts)
    out << "  " << account << "  " << TwoSignificant(flop) << "\n";
  out << "compute by run label (FLOP, upper bound):\n";
  std::map<std::string, double> labels(detail.compute_by_run_label().begin(),
                                       detail.compute_by_run_label().end());
  for (const auto& [label, flop] : labels)
    out << "  " << label << "  " << TwoSignificant(flop) << "\n";
  out << "evidence: " << evidence.size()
      << " leaves, each proven in checkpoint size " << cp.fields.size
      << " root " << root << "\n";
  for (const auto& [index, type] : evidence)
    out << "  leaf " << index << "  " << type << "  inclusion verified\n";
  out << "findings:\n";
  for (const v1::RecordedFinding& f : findings) out << "  " << FindingLine(f);
  out << CitationLines(expanded);
  return absl::OkStatus();
}

absl::Status Accounts(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<ModelSource> source,
                   ModelSource::Open(args));
  std::vector<std::string> ids;
  const std::string only = absl::GetFlag(FLAGS_model);
  if (!only.empty()) {
    ids.push_back(only);
  } else {
    ASSIGN_OR_RETURN(std::vector<v1::ModelSummary> models, source->Models());
    for (const auto& m : models) ids.push_back(ModelName(m));
  }
  struct Total {
    double flop = 0;
    std::vector<std::string> models;
  };
  std::map<std::string, Total> totals;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(v1::ModelDetail detail, source->Model(id));
    for (const auto& [account, flop] : detail.compute_by_account()) {
      totals[account].flop += flop;
      totals[account].models.push_back(id);
    }
  }
  if (args.json) {
    out << "[";
    bool first = true;
    for (const auto& [account, t] : totals) {
      std::string models;
      for (const auto& m : t.models)
        absl::StrAppend(&models, models.empty() ? "" : ", ",
                        common::JsonQuote(m));
      out << (first ? "\n " : ",\n ")
          << absl::StrFormat(
                 "{\"account\": %s, \"compute_flop_upper\": %g, \"models\": "
                 "[%s]}",
                 common::JsonQuote(account), t.flop, models);
      first = false;
    }
    out << "\n]\n";
    return absl::OkStatus();
  }
  out << absl::StrFormat("%-24s %-10s %s\n", "ACCOUNT", "FLOP", "MODELS");
  for (const auto& [account, t] : totals) {
    std::string models;
    for (const auto& m : t.models)
      absl::StrAppend(&models, models.empty() ? "" : ",", m);
    out << absl::StrFormat("%-24s %-10s %s\n", account, TwoSignificant(t.flop),
                           models);
  }
  return absl::OkStatus();
}

absl::Status Findings(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(aifl::rules::v1::Unit unit,
                   ParseUnit(absl::GetFlag(FLAGS_unit)));
  const std::string model = absl::GetFlag(FLAGS_model);
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  auto print = [&](const v1::RecordedFinding& f) {
    if (args.json) {
      out << ToJson(f) << "\n";
    } else {
      out << FindingLine(f);
    }
    out.flush();
  };
  if (!absl::GetFlag(FLAGS_follow)) {
    v1::ListFindingsRequest request;
    request.set_unit(unit);
    request.set_model_id(model);
    ASSIGN_OR_RETURN(std::vector<v1::RecordedFinding> findings,
                     ListAllFindings(conn, request));
    for (const auto& f : findings) print(f);
    return absl::OkStatus();
  }
  // Replays the recorded findings from leaf 0, then streams new ones.
  v1::WatchFindingsRequest request;
  request.set_unit(unit);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::RecordedFinding>> reader =
      conn.audit->WatchFindings(&context, request);
  v1::RecordedFinding finding;
  while (reader->Read(&finding)) {
    if (model.empty() || finding.finding().model_id() == model) print(finding);
  }
  return api::client::FromGrpcStatus("Audit.WatchFindings", reader->Finish());
}

}  // namespace ledgerctl
