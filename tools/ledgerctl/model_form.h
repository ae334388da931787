// The Code of Practice's Model Documentation Form, the part a compute ledger
// can answer (Annex XI section 1 items 2(d)-(e)): training compute in FLOP,
// training energy in MWh per boundary, training time (wall-clock days and
// GPU-days) and hardware used, each with its method and the leaves that
// prove it. Figures the ledger does not hold stay explicit ("not measured",
// "not declared", "N/A" with the reason), never a guessed number.
//
// ModelFormBuilder is pure: it folds proven payloads (IntervalReports and
// ModelDeclarations, in leaf order) into a ModelForm; the caller proves the
// leaves. The measured figures are index/model_totals.h's fold (the one the
// verifiable index commits to), so FormFromTotals gives the same form from
// the index's proven totals. Only training purposes count (pre-training,
// fine-tuning, and runs with no declared purpose, as the rules engine counts
// them: Guidelines Annex A.1). JSON schema: docs/model-documentation-form.md.
// Thread-compatible.
#ifndef TOOLS_LEDGERCTL_MODEL_FORM_H_
#define TOOLS_LEDGERCTL_MODEL_FORM_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "index/model_totals.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/leaf_ranges.h"

namespace ledgerctl {

// One figure of the form. `known` false: `value_*` are 0 and `reason` says
// why (e.g. "not measured: no training intervals").
struct FormFigure {
  std::string status;  // "measured", "declared", "not measured",
                       // "not declared", "N/A"
  bool known = false;
  double lower = 0;
  double upper = 0;  // == lower for a point value
  std::string unit;  // "FLOP", "MWh", "days", "GPU-days"
  std::string method;
  std::string boundary;  // energy: "accelerator", "node", "facility"
  std::string reason;
  std::vector<LeafRange> evidence;
};

// Hardware of one device model across the training intervals.
struct FormHardware {
  std::string device_model;  // "not reported" when the collector gave none
  uint64_t gpus = 0;         // distinct nodes × their largest GPU count
  uint64_t nodes = 0;        // distinct nodes
  double gpu_days = 0;
  std::vector<LeafRange> evidence;
};

struct ModelForm {
  std::string model_id;
  std::string provider;  // from the declaration in force; "" when none
  uint64_t training_intervals = 0;
  FormFigure compute_measured;  // FLOP
  FormFigure compute_declared;  // FLOP
  // Cumulative compute (Guidelines Annex A.1: training plus non-public
  // synthetic data and merged or initialisation weights), the Art. 51(2)
  // figure.
  FormFigure cumulative_measured;  // FLOP
  FormFigure cumulative_declared;  // FLOP
  FormFigure energy_accelerator;
  FormFigure energy_node;
  FormFigure energy_facility;
  FormFigure wall_clock_days;
  FormFigure gpu_days;
  std::vector<FormHardware> hardware;  // by device model name
};

// Which leaves each figure folds from (a version 1 or 2 statement's
// evidence). A form built from the index's proven totals has none: its
// evidence is the model's list in the index (statement v3).
struct FormEvidence {
  std::vector<uint64_t> intervals;   // training intervals
  std::vector<uint64_t> cumulative;  // intervals in cumulative compute
  std::vector<uint64_t> energy;      // training intervals with a reading
  std::map<std::string, std::vector<uint64_t>> hardware;  // by device model
};

// The form of `model_id` from its measured totals (index/model_totals.h,
// the one fold of them), the leaves they fold from, and the declaration in
// force (null: none) at `declaration_leaf`.
ModelForm FormFromTotals(
    const std::string& model_id, const vindex::ModelTotals& totals,
    const FormEvidence& evidence,
    const aifl::provider::v1::ModelDeclaration* declaration,
    uint64_t declaration_leaf);

class ModelFormBuilder {
 public:
  explicit ModelFormBuilder(std::string model_id);

  // A proven IntervalReport at `leaf`; purposes counted in neither training
  // nor cumulative compute are ignored.
  void AddInterval(uint64_t leaf, const aifl::collector::v1::IntervalReport& r);
  // A proven ModelDeclaration at `leaf`; the latest (highest leaf) is in
  // force.
  void AddDeclaration(uint64_t leaf,
                      const aifl::provider::v1::ModelDeclaration& d);
  // Dispatches on the payload type; other types and unparsable payloads are
  // ignored.
  void AddPayload(uint64_t leaf, const std::string& payload_type,
                  const std::string& payload);

  ModelForm Build() const;

 private:
  std::string model_id_;
  vindex::TotalsFold fold_;
  FormEvidence evidence_;
  bool has_declaration_ = false;
  uint64_t declaration_leaf_ = 0;
  aifl::provider::v1::ModelDeclaration declaration_;
};

// The form as one JSON object (schema "aifl.model_documentation_form.v1"),
// with the checkpoint the evidence was proven in.
std::string ModelFormJson(const ModelForm& form, uint64_t tree_size,
                          const std::string& root_base64);

// The form for a terminal: one line per figure with method and evidence.
std::string ModelFormText(const ModelForm& form);

// The form's figures in order with their names ("Training compute,
// measured", ...). The pointers live as long as `form`.
std::vector<std::pair<std::string, const FormFigure*>> NamedFigures(
    const ModelForm& form);

// A number with two significant figures: E notation for "FLOP" ("6.0e24"),
// plain digits for other units between 0.01 and 100,000 ("280", "4.0").
std::string FormNumber(double value, const std::string& unit);

// "1.2e24..2.0e24 FLOP" / "not measured: no training intervals".
std::string FormFigureText(const FormFigure& figure);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_MODEL_FORM_H_
