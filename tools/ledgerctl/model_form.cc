#include "tools/ledgerctl/model_form.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "tools/ledgerctl/output_format.h"

namespace ledgerctl {
namespace {

namespace common_v1 = ::aifl::common::v1;
using common::JsonQuote;

constexpr double kJoulesPerMwh = 3.6e9;
constexpr double kMsPerDay = 86400.0 * 1000.0;
constexpr char kNoIntervals[] =
    "no training intervals from collectors in the ledger";

FormFigure Missing(const std::string& status, const std::string& unit,
                   const std::string& reason) {
  FormFigure f;
  f.status = status;
  f.unit = unit;
  f.reason = reason;
  return f;
}

FormFigure Known(const std::string& status, double lower, double upper,
                 const std::string& unit, const std::string& method,
                 std::vector<LeafRange> evidence) {
  FormFigure f;
  f.status = status;
  f.known = true;
  f.lower = lower;
  f.upper = upper;
  f.unit = unit;
  f.method = method;
  f.evidence = std::move(evidence);
  return f;
}

std::string ValueText(const FormFigure& f) {
  if (f.unit == "FLOP" && f.lower != f.upper)
    return FlopRangeText(f.lower, f.upper);
  if (f.lower == f.upper) return FormNumber(f.upper, f.unit);
  return absl::StrCat(FormNumber(f.lower, f.unit), "..",
                      FormNumber(f.upper, f.unit));
}

std::string FigureJson(const FormFigure& f) {
  std::string value = "null";
  if (f.known) {
    value = absl::StrCat("{\"lower\":", f.lower, ",\"upper\":", f.upper,
                         ",\"text\":", JsonQuote(ValueText(f)), "}");
  }
  std::string out = absl::StrCat(
      "{\"status\":", JsonQuote(f.status), ",\"value\":", value,
      ",\"unit\":", JsonQuote(f.unit),
      ",\"method\":", f.method.empty() ? "null" : JsonQuote(f.method));
  if (!f.boundary.empty())
    absl::StrAppend(&out, ",\"boundary\":", JsonQuote(f.boundary));
  absl::StrAppend(
      &out, ",\"reason\":", f.reason.empty() ? "null" : JsonQuote(f.reason),
      ",\"evidence\":", LeafRangesJson(f.evidence), "}");
  return out;
}

// The declared training figure: the declared range, else N·L·H·U, else
// 6·P·D (as rules::DeclaredTraining reads a declaration).
FormFigure DeclaredCompute(const aifl::provider::v1::ModelDeclaration& d,
                           uint64_t leaf) {
  const auto& c = d.compute();
  const std::vector<LeafRange> evidence = {LeafRange{leaf, leaf}};
  if (c.training().upper() > 0) {
    std::string method = common_v1::ComputeMethod_Name(c.training().method());
    if (!c.training().assumptions().empty())
      absl::StrAppend(&method, "; ", c.training().assumptions());
    return Known("declared", c.training().lower(), c.training().upper(), "FLOP",
                 method, evidence);
  }
  const double nlhu =
      c.units() * c.seconds() * c.peak_flop_per_s() * c.utilisation();
  if (nlhu > 0) {
    return Known(
        "declared", nlhu, nlhu, "FLOP",
        absl::StrCat("DECLARED_HARDWARE: N·L·H·U = ", c.units(), " × ",
                     c.seconds(), " s × ", TwoSignificant(c.peak_flop_per_s()),
                     " FLOP/s × ", c.utilisation()),
        evidence);
  }
  const double ppd = 6 * c.parameters() * c.tokens();
  if (ppd > 0) {
    return Known("declared", ppd, ppd, "FLOP",
                 absl::StrCat("DECLARED_ARCHITECTURE: 6·P·D, P = ",
                              TwoSignificant(c.parameters()),
                              ", D = ", TwoSignificant(c.tokens())),
                 evidence);
  }
  return Missing("not declared", "FLOP",
                 "the declaration in force gives no training compute");
}

FormFigure DeclaredCumulative(const aifl::provider::v1::ModelDeclaration& d,
                              uint64_t leaf) {
  const auto& c = d.compute().cumulative();
  if (c.upper() <= 0) {
    return Missing("not declared", "FLOP",
                   "the declaration in force gives no cumulative compute");
  }
  std::string method = common_v1::ComputeMethod_Name(c.method());
  if (!c.assumptions().empty()) absl::StrAppend(&method, "; ", c.assumptions());
  return Known("declared", c.lower(), c.upper(), "FLOP", method,
               {LeafRange{leaf, leaf}});
}

FormFigure DeclaredEnergy(const aifl::provider::v1::ModelDeclaration* d,
                          uint64_t leaf, bool node) {
  const std::string boundary = node ? "node" : "facility";
  FormFigure f;
  if (d != nullptr && (node ? d->compute().has_node_energy_joules()
                            : d->compute().has_facility_energy_joules())) {
    const double mwh = (node ? d->compute().node_energy_joules()
                             : d->compute().facility_energy_joules()) /
                       kJoulesPerMwh;
    f = Known("declared", mwh, mwh, "MWh",
              absl::StrCat("declared by the provider (", boundary, " level)"),
              {LeafRange{leaf, leaf}});
  } else {
    f = Missing("not declared", "MWh",
                d == nullptr ? "no model declaration"
                             : absl::StrCat("the provider declared no ",
                                            boundary, "-level energy"));
  }
  f.boundary = boundary;
  return f;
}

}  // namespace

// Two significant figures: E notation for FLOP, plain digits for MWh and
// days between 0.01 and 100,000 ("280", "4.0", "0.52").
std::string FormNumber(double v, const std::string& unit) {
  if (unit == "FLOP" || v == 0 || v < 0.01 || v >= 1e5)
    return TwoSignificant(v);
  const int digits = static_cast<int>(std::floor(std::log10(v)));
  const double scale = std::pow(10.0, digits - 1);
  const double rounded = std::round(v / scale) * scale;
  return digits >= 1 ? absl::StrFormat("%.0f", rounded)
                     : absl::StrFormat("%.*f", 1 - digits, rounded);
}

ModelFormBuilder::ModelFormBuilder(std::string model_id)
    : model_id_(std::move(model_id)) {}

void ModelFormBuilder::AddInterval(
    uint64_t leaf, const aifl::collector::v1::IntervalReport& r) {
  fold_.AddInterval(r);
  if (vindex::IsCumulativePurpose(r.purpose()))
    evidence_.cumulative.push_back(leaf);
  if (!vindex::IsTrainingPurpose(r.purpose())) return;
  evidence_.intervals.push_back(leaf);
  if (r.has_energy_joules()) evidence_.energy.push_back(leaf);
  evidence_.hardware[vindex::DeviceModelOf(r)].push_back(leaf);
}

void ModelFormBuilder::AddDeclaration(
    uint64_t leaf, const aifl::provider::v1::ModelDeclaration& d) {
  if (has_declaration_ && leaf < declaration_leaf_) return;
  has_declaration_ = true;
  declaration_leaf_ = leaf;
  declaration_ = d;
}

void ModelFormBuilder::AddPayload(uint64_t leaf,
                                  const std::string& payload_type,
                                  const std::string& payload) {
  if (payload_type == "aifl.collector.v1.IntervalReport") {
    aifl::collector::v1::IntervalReport r;
    if (r.ParseFromString(payload)) AddInterval(leaf, r);
  } else if (payload_type == "aifl.provider.v1.ModelDeclaration") {
    aifl::provider::v1::ModelDeclaration d;
    if (d.ParseFromString(payload)) AddDeclaration(leaf, d);
  }
}

ModelForm ModelFormBuilder::Build() const {
  return FormFromTotals(model_id_, fold_.totals(), evidence_,
                        has_declaration_ ? &declaration_ : nullptr,
                        declaration_leaf_);
}

namespace {

std::string MethodNames(const std::set<uint32_t>& methods) {
  std::set<std::string> names;
  for (uint32_t n : methods) {
    names.insert(common_v1::ComputeMethod_Name(static_cast<int>(n)));
  }
  return absl::StrJoin(names, ", ");
}

FormFigure MeasuredCompute(const vindex::ModelTotals& t,
                           const FormEvidence& e) {
  if (t.training_intervals == 0) {
    return Missing("not measured", "FLOP", kNoIntervals);
  }
  std::string method =
      absl::StrCat(MethodNames(t.flop_methods),
                   ": sum of the collectors' per-interval ranges");
  if (!t.precisions.empty()) {
    std::set<std::string> names;
    for (uint32_t n : t.precisions) {
      names.insert(common_v1::Precision_Name(static_cast<int>(n)));
    }
    absl::StrAppend(&method, " (precisions ", absl::StrJoin(names, ", "), ")");
  }
  return Known("measured", t.flop_lower, t.flop_upper, "FLOP", method,
               ToLeafRanges(e.intervals));
}

FormFigure MeasuredCumulative(const vindex::ModelTotals& t,
                              const FormEvidence& e) {
  if (t.cumulative_intervals == 0) {
    return Missing("not measured", "FLOP", kNoIntervals);
  }
  return Known("measured", t.cumulative_lower, t.cumulative_upper, "FLOP",
               absl::StrCat(MethodNames(t.cumulative_methods),
                            ": sum of the collectors' per-interval ranges "
                            "(training, non-public synthetic data, merged or "
                            "initialisation weights)"),
               ToLeafRanges(e.cumulative));
}

FormFigure AcceleratorEnergy(const vindex::ModelTotals& t,
                             const FormEvidence& e) {
  const std::string nvml =
      "NVML total energy counter per GPU, summed over the job's GPUs per "
      "interval (measured by the collector agent)";
  const uint64_t without_energy = t.training_intervals - t.energy_intervals;
  const double mwh = t.energy_joules / kJoulesPerMwh;
  FormFigure f;
  if (t.training_intervals == 0) {
    f = Missing("not measured", "MWh", kNoIntervals);
  } else if (without_energy > 0) {
    f = Missing("N/A", "MWh",
                absl::StrCat(without_energy, " of ", t.training_intervals,
                             " training intervals carry no NVML energy reading",
                             t.energy_intervals == 0
                                 ? ""
                                 : absl::StrCat("; the others sum to ",
                                                FormNumber(mwh, "MWh"),
                                                " MWh, a lower bound only")));
    f.method = nvml;
    f.evidence = ToLeafRanges(e.energy);
  } else {
    f = Known("measured", mwh, mwh, "MWh", nvml, ToLeafRanges(e.intervals));
  }
  f.boundary = "accelerator";
  return f;
}

void AddTrainingTime(const vindex::ModelTotals& t, const FormEvidence& e,
                     ModelForm* form) {
  if (t.training_intervals == 0) {
    form->wall_clock_days = Missing("not measured", "days", kNoIntervals);
    form->gpu_days = Missing("not measured", "GPU-days", kNoIntervals);
    return;
  }
  const std::vector<LeafRange> intervals = ToLeafRanges(e.intervals);
  const double days = (t.last_end_ms - t.first_start_ms) / kMsPerDay;
  form->wall_clock_days =
      Known("measured", days, days, "days",
            "first interval start to last interval end (collector clocks)",
            intervals);
  form->gpu_days =
      Known("measured", t.gpu_seconds / 86400.0, t.gpu_seconds / 86400.0,
            "GPU-days", "sum of gpu_seconds_allocated / 86,400", intervals);
}

std::vector<FormHardware> HardwareRows(const vindex::ModelTotals& t,
                                       const FormEvidence& e) {
  std::vector<FormHardware> rows;
  for (const auto& [model, h] : t.hardware) {
    FormHardware out;
    out.device_model = model;
    out.nodes = h.nodes;
    out.gpus = h.gpus;
    out.gpu_days = h.gpu_seconds / 86400.0;
    auto leaves = e.hardware.find(model);
    if (leaves != e.hardware.end()) out.evidence = ToLeafRanges(leaves->second);
    rows.push_back(std::move(out));
  }
  return rows;
}

}  // namespace

ModelForm FormFromTotals(const std::string& model_id,
                         const vindex::ModelTotals& totals,
                         const FormEvidence& evidence,
                         const aifl::provider::v1::ModelDeclaration* d,
                         uint64_t declaration_leaf) {
  ModelForm form;
  form.model_id = model_id;
  form.training_intervals = totals.training_intervals;
  form.compute_measured = MeasuredCompute(totals, evidence);
  form.cumulative_measured = MeasuredCumulative(totals, evidence);
  if (d != nullptr) {
    form.provider = d->provider();
    form.compute_declared = DeclaredCompute(*d, declaration_leaf);
    form.cumulative_declared = DeclaredCumulative(*d, declaration_leaf);
  } else {
    form.compute_declared =
        Missing("not declared", "FLOP", "no model declaration");
    form.cumulative_declared =
        Missing("not declared", "FLOP", "no model declaration");
  }
  form.energy_accelerator = AcceleratorEnergy(totals, evidence);
  form.energy_node = DeclaredEnergy(d, declaration_leaf, /*node=*/true);
  form.energy_facility = DeclaredEnergy(d, declaration_leaf, /*node=*/false);
  AddTrainingTime(totals, evidence, &form);
  form.hardware = HardwareRows(totals, evidence);
  return form;
}

std::vector<std::pair<std::string, const FormFigure*>> NamedFigures(
    const ModelForm& form) {
  return {{"Training compute, measured", &form.compute_measured},
          {"Training compute, declared", &form.compute_declared},
          {"Cumulative compute, measured", &form.cumulative_measured},
          {"Cumulative compute, declared", &form.cumulative_declared},
          {"Training energy, accelerator", &form.energy_accelerator},
          {"Training energy, node", &form.energy_node},
          {"Training energy, facility", &form.energy_facility},
          {"Training time, wall clock", &form.wall_clock_days},
          {"Training time, hardware", &form.gpu_days}};
}

std::string FormFigureText(const FormFigure& f) {
  if (!f.known) return absl::StrCat(f.status, ": ", f.reason);
  return absl::StrCat(ValueText(f), " ", f.unit);
}

std::string ModelFormJson(const ModelForm& form, uint64_t tree_size,
                          const std::string& root_base64) {
  std::string hardware;
  for (const FormHardware& h : form.hardware) {
    absl::StrAppend(&hardware, hardware.empty() ? "" : ",",
                    "{\"device_model\":", JsonQuote(h.device_model),
                    ",\"gpus\":", h.gpus, ",\"nodes\":", h.nodes,
                    ",\"gpu_days\":", h.gpu_days,
                    ",\"evidence\":", LeafRangesJson(h.evidence), "}");
  }
  return absl::StrCat(
      "{\"schema\":\"aifl.model_documentation_form.v1\",\"model_id\":",
      JsonQuote(form.model_id), ",\"provider\":",
      form.provider.empty() ? "null" : JsonQuote(form.provider),
      ",\"checkpoint\":{\"tree_size\":", tree_size,
      ",\"root\":", JsonQuote(root_base64),
      "},\"training_intervals\":", form.training_intervals,
      ",\"training_compute\":{\"measured\":", FigureJson(form.compute_measured),
      ",\"declared\":", FigureJson(form.compute_declared),
      "},\"cumulative_compute\":{\"measured\":",
      FigureJson(form.cumulative_measured),
      ",\"declared\":", FigureJson(form.cumulative_declared),
      "},\"training_energy\":{\"accelerator\":",
      FigureJson(form.energy_accelerator),
      ",\"node\":", FigureJson(form.energy_node),
      ",\"facility\":", FigureJson(form.energy_facility),
      "},\"training_time\":{\"wall_clock_days\":",
      FigureJson(form.wall_clock_days),
      ",\"hardware_days\":", FigureJson(form.gpu_days), "},\"hardware\":[",
      hardware, "]}\n");
}

namespace {

// "leaves 3, 7–9 (4)"; past three ranges "leaves 3, 7–9, 12, … (40 in 9
// ranges; --json lists all)".
std::string ShortRanges(const std::vector<LeafRange>& ranges) {
  const uint64_t count = LeafCount(ranges);
  if (ranges.size() <= 3)
    return absl::StrCat("leaves ", LeafRangesText(ranges), " (", count, ")");
  return absl::StrCat("leaves ",
                      LeafRangesText(std::vector<LeafRange>(
                          ranges.begin(), ranges.begin() + 3)),
                      ", \xE2\x80\xA6 (", count, " in ", ranges.size(),
                      " ranges; --json lists all)");
}

}  // namespace

std::string ModelFormText(const ModelForm& form) {
  std::string out = absl::StrCat(
      "Model Documentation Form (ledger part): ", form.model_id,
      form.provider.empty() ? "" : absl::StrCat(" by ", form.provider), "\n");
  auto line = [&out](const std::string& name, const FormFigure& f) {
    absl::StrAppend(&out, "  ", name, ": ", FormFigureText(f), "\n");
    if (!f.method.empty())
      absl::StrAppend(&out, "      method: ", f.method, "\n");
    if (!f.evidence.empty())
      absl::StrAppend(&out, "      evidence: ", ShortRanges(f.evidence), "\n");
  };
  for (const auto& [name, figure] : NamedFigures(form)) line(name, *figure);
  if (form.hardware.empty()) out += "  hardware: not measured\n";
  for (const FormHardware& h : form.hardware) {
    absl::StrAppend(&out, "  hardware: ", h.device_model, ": ", h.gpus,
                    " GPUs on ", h.nodes, " nodes, ",
                    FormNumber(h.gpu_days, "GPU-days"), " GPU-days; ",
                    ShortRanges(h.evidence), "\n");
  }
  return out;
}

}  // namespace ledgerctl
