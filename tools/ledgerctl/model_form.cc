#include "tools/ledgerctl/model_form.h"

#include <algorithm>
#include <cmath>
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

bool IsTraining(common_v1::RunPurpose p) {
  return p == common_v1::PRE_TRAINING || p == common_v1::FINE_TUNING ||
         p == common_v1::RUN_PURPOSE_UNSPECIFIED;
}

// Cumulative compute counts training and these (Annex A.1), as the rules
// engine's fold does.
bool IsCumulative(common_v1::RunPurpose p) {
  return IsTraining(p) || p == common_v1::SYNTHETIC_DATA_NON_PUBLIC ||
         p == common_v1::MERGE_OR_INIT;
}

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
  if (IsCumulative(r.purpose())) {
    cumulative_leaves_.push_back(leaf);
    cumulative_lower_ += r.flop().lower();
    cumulative_upper_ += r.flop().upper();
    cumulative_methods_.insert(
        common_v1::ComputeMethod_Name(r.flop().method()));
  }
  if (!IsTraining(r.purpose())) return;
  interval_leaves_.push_back(leaf);
  flop_lower_ += r.flop().lower();
  flop_upper_ += r.flop().upper();
  flop_methods_.insert(common_v1::ComputeMethod_Name(r.flop().method()));
  if (r.precision_low() != common_v1::PRECISION_UNSPECIFIED)
    precisions_.insert(common_v1::Precision_Name(r.precision_low()));
  if (r.precision_high() != common_v1::PRECISION_UNSPECIFIED)
    precisions_.insert(common_v1::Precision_Name(r.precision_high()));
  if (r.has_energy_joules()) {
    energy_joules_ += r.energy_joules();
    energy_leaves_.push_back(leaf);
  } else {
    ++without_energy_;
  }
  if (interval_leaves_.size() == 1 || r.start_unix_ms() < first_start_ms_)
    first_start_ms_ = r.start_unix_ms();
  last_end_ms_ = std::max(last_end_ms_, r.end_unix_ms());
  gpu_seconds_ += r.gpu_seconds_allocated();
  Hardware& h =
      hardware_[r.device_model().empty() ? "not reported" : r.device_model()];
  uint32_t& gpus = h.gpus_per_node[r.node()];
  gpus = std::max(gpus, r.gpu_count());
  h.gpu_seconds += r.gpu_seconds_allocated();
  h.leaves.push_back(leaf);
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

FormFigure ModelFormBuilder::MeasuredCompute() const {
  if (interval_leaves_.empty()) {
    return Missing("not measured", "FLOP", kNoIntervals);
  }
  std::string method =
      absl::StrCat(absl::StrJoin(flop_methods_, ", "),
                   ": sum of the collectors' per-interval ranges");
  if (!precisions_.empty())
    absl::StrAppend(&method, " (precisions ", absl::StrJoin(precisions_, ", "),
                    ")");
  return Known("measured", flop_lower_, flop_upper_, "FLOP", method,
               ToLeafRanges(interval_leaves_));
}

FormFigure ModelFormBuilder::MeasuredCumulative() const {
  if (cumulative_leaves_.empty()) {
    return Missing("not measured", "FLOP", kNoIntervals);
  }
  return Known("measured", cumulative_lower_, cumulative_upper_, "FLOP",
               absl::StrCat(absl::StrJoin(cumulative_methods_, ", "),
                            ": sum of the collectors' per-interval ranges "
                            "(training, non-public synthetic data, merged or "
                            "initialisation weights)"),
               ToLeafRanges(cumulative_leaves_));
}

FormFigure ModelFormBuilder::AcceleratorEnergy() const {
  const std::string nvml =
      "NVML total energy counter per GPU, summed over the job's GPUs per "
      "interval (measured by the collector agent)";
  FormFigure f;
  if (interval_leaves_.empty()) {
    f = Missing("not measured", "MWh", kNoIntervals);
  } else if (without_energy_ > 0) {
    f = Missing("N/A", "MWh",
                absl::StrCat(
                    without_energy_, " of ", interval_leaves_.size(),
                    " training intervals carry no NVML energy reading",
                    energy_leaves_.empty()
                        ? ""
                        : absl::StrCat(
                              "; the others sum to ",
                              FormNumber(energy_joules_ / kJoulesPerMwh, "MWh"),
                              " MWh, a lower bound only")));
    f.method = nvml;
    f.evidence = ToLeafRanges(energy_leaves_);
  } else {
    f = Known("measured", energy_joules_ / kJoulesPerMwh,
              energy_joules_ / kJoulesPerMwh, "MWh", nvml,
              ToLeafRanges(interval_leaves_));
  }
  f.boundary = "accelerator";
  return f;
}

void ModelFormBuilder::AddTrainingTime(ModelForm* form) const {
  if (interval_leaves_.empty()) {
    form->wall_clock_days = Missing("not measured", "days", kNoIntervals);
    form->gpu_days = Missing("not measured", "GPU-days", kNoIntervals);
    return;
  }
  const std::vector<LeafRange> intervals = ToLeafRanges(interval_leaves_);
  const double days = (last_end_ms_ - first_start_ms_) / kMsPerDay;
  form->wall_clock_days =
      Known("measured", days, days, "days",
            "first interval start to last interval end (collector clocks)",
            intervals);
  form->gpu_days =
      Known("measured", gpu_seconds_ / 86400.0, gpu_seconds_ / 86400.0,
            "GPU-days", "sum of gpu_seconds_allocated / 86,400", intervals);
}

std::vector<FormHardware> ModelFormBuilder::HardwareRows() const {
  std::vector<FormHardware> rows;
  for (const auto& [model, h] : hardware_) {
    FormHardware out;
    out.device_model = model;
    out.nodes = h.gpus_per_node.size();
    for (const auto& [node, gpus] : h.gpus_per_node) out.gpus += gpus;
    out.gpu_days = h.gpu_seconds / 86400.0;
    out.evidence = ToLeafRanges(h.leaves);
    rows.push_back(std::move(out));
  }
  return rows;
}

ModelForm ModelFormBuilder::Build() const {
  ModelForm form;
  form.model_id = model_id_;
  form.training_intervals = interval_leaves_.size();
  form.compute_measured = MeasuredCompute();
  form.cumulative_measured = MeasuredCumulative();
  if (has_declaration_) {
    form.provider = declaration_.provider();
    form.compute_declared = DeclaredCompute(declaration_, declaration_leaf_);
    form.cumulative_declared =
        DeclaredCumulative(declaration_, declaration_leaf_);
  } else {
    form.compute_declared =
        Missing("not declared", "FLOP", "no model declaration");
    form.cumulative_declared =
        Missing("not declared", "FLOP", "no model declaration");
  }
  form.energy_accelerator = AcceleratorEnergy();
  const aifl::provider::v1::ModelDeclaration* d =
      has_declaration_ ? &declaration_ : nullptr;
  form.energy_node = DeclaredEnergy(d, declaration_leaf_, /*node=*/true);
  form.energy_facility = DeclaredEnergy(d, declaration_leaf_, /*node=*/false);
  AddTrainingTime(&form);
  form.hardware = HardwareRows();
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
