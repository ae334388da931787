// One model's state: everything the ledger has learnt about a general-purpose
// AI model, folded from its entries by rules/model_state_fold.h. A plain value
// type; the derived figures below are pure functions of it.
//
// Compute is kept in two counters (Guidelines Annex A.1), each as a range with
// its methods, and declared and measured figures are kept apart:
//   * training compute  — parameter updates: PRE_TRAINING, FINE_TUNING, and
//                         runs with no declared purpose (counted, and tagged);
//   * cumulative compute — training plus non-public synthetic data and merged /
//                         initialisation weights;
//   * excluded purposes (public synthetic data, evaluations, exploratory and
//     failed runs, distillation parents, reward models, recomputation) are
//     recorded per purpose and left out of both totals.
// Every fact keeps the leaf that established it and its integration time.
#ifndef RULES_MODEL_STATE_H_
#define RULES_MODEL_STATE_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "rules/flop_range.h"
#include "schema/common.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace rules {

// A fact and where it came from.
struct DatedLeaf {
  uint64_t leaf = 0;
  absl::Time time = absl::InfinitePast();
};

struct DeclarationRecord {
  DatedLeaf at;
  std::string signer_organisation;
  aifl::provider::v1::ModelDeclaration declaration;
};

struct RunState {
  std::string run_id;
  std::string account;
  std::string label;
  aifl::common::v1::RunPurpose purpose =
      aifl::common::v1::RUN_PURPOSE_UNSPECIFIED;
  DatedLeaf started;  // leaf 0 / InfinitePast when only intervals seen
  bool has_start = false;
  bool ended = false;
  double planned_flop = 0;
  FlopRange flop;
  double accelerator_energy_joules = 0;
  uint64_t intervals = 0;
};

// A watched threshold on cumulative compute (see FoldOptions): when the
// combined lower bound first exceeded it, and when the measured trajectory was
// first forecast to cross it within the horizon.
struct Crossing {
  double threshold = 0;
  bool crossed = false;
  DatedLeaf crossed_at;
  bool forecast = false;
  DatedLeaf forecast_at;
};

// A new high of the planned compute budget.
struct PlannedBudget {
  double flop = 0;
  DatedLeaf at;
};

// An entry the fold left out of the model: a collector record whose values
// cannot be true, or a provider entry (a declaration or one of its
// scheduler-account claims, a document, notification, evaluation or incident
// report) signed by another principal than the model's owner
// (ledger/FORMAT.md, "Ownership of models and records"). All are reported by
// DQ1.
struct RejectedRecord {
  enum class Kind { kImpossibleValue, kOtherOwner };
  uint64_t leaf = 0;
  std::string reason;  // e.g. "flop.lower: got -1e+20, want >= 0"
  Kind kind = Kind::kImpossibleValue;
  // kOtherOwner: a declaration's claim (true) or another provider entry
  // about the model (false); DQ1 words the two apart.
  bool declaration = true;
};

// Rejected records past FoldOptions::max_rejected_records: counted, by what
// DQ1 words apart, not kept (a hostile collector's or provider's spam then
// costs a few counters, not its reasons).
struct RejectedNotKept {
  uint64_t impossible = 0;           // kImpossibleValue
  uint64_t other_owner_claims = 0;   // kOtherOwner, declaration
  uint64_t other_owner_entries = 0;  // kOtherOwner, other entries
  uint64_t total() const {
    return impossible + other_owner_claims + other_owner_entries;
  }
  // Counts `r` under its kind.
  void Count(const RejectedRecord& r);
  void Add(const RejectedNotKept& other);
};

// Keeps `r` in `kept` while it holds fewer than `max` records (0: no
// limit), else only counts it in `not_kept`.
void KeepRejected(RejectedRecord r, uint64_t max,
                  std::vector<RejectedRecord>* kept, RejectedNotKept* not_kept);

struct OfficeDecision {
  DatedLeaf at;
  bool systemic_risk = false;            // designations
  aifl::office::v1::RebuttalKind kind =  // rebuttal decisions
      aifl::office::v1::REBUTTAL_KIND_UNSPECIFIED;
  bool accepted = false;
};

inline constexpr int kPurposeCount = 11;  // aifl.common.v1.RunPurpose values
inline constexpr int kDocumentKinds =
    12;  // aifl.provider.v1.DocumentKind values

struct ModelState {
  std::string model_id;
  // The principal (rules/ledger_entry.h SignerPrincipal) of the key that
  // signed the first declaration folded into this model; "" until one is.
  // Only provider entries by the same principal are folded in later.
  std::string owner;
  // Ids of further development by or for the same provider (para 23), folded
  // into this model; their declarations are kept here too.
  std::vector<std::string> aliases;
  std::vector<DeclarationRecord> alias_declarations;

  // Declarations, oldest first; the last one is in force, all stay visible.
  std::vector<DeclarationRecord> declarations;
  DatedLeaf eu_market_intent;  // first declaration with intent or placement
  bool has_eu_market_intent = false;

  // Measured by collectors.
  FlopRange measured_training;
  FlopRange measured_cumulative;
  std::array<FlopRange, kPurposeCount> measured_by_purpose;
  std::map<std::string, FlopRange> measured_by_account;
  std::map<std::string, FlopRange> measured_by_label;
  std::map<std::string, RunState> runs;
  std::vector<uint64_t> counted_leaves;   // intervals in the totals
  std::vector<uint64_t> excluded_leaves;  // intervals of excluded purposes
  // Intervals past FoldOptions::max_evidence_leaves, in leaf order after the
  // kept ones: in the figures, not in the lists above (findings cite them as
  // evidence_not_listed). 0 without a cap.
  uint64_t counted_not_kept = 0;
  uint64_t excluded_not_kept = 0;
  // Every interval in the totals, listed or not.
  uint64_t counted_intervals() const {
    return counted_leaves.size() + counted_not_kept;
  }
  int64_t first_interval_start_ms = 0;
  int64_t last_interval_end_ms = 0;
  int active_runs = 0;

  // Energy: accelerator level is measured; node and facility level declared.
  double accelerator_energy_joules = 0;
  uint64_t intervals_without_energy = 0;

  std::vector<PlannedBudget> planned_highs;  // increasing
  std::vector<Crossing> crossings;           // one per watched threshold

  // Modifications (FoldOptions::modifier): the first declaration naming a
  // base declared systemic, and when the modification's combined training
  // compute (lower bound) first exceeded the modifier threshold in force.
  bool systemic_base_declared = false;
  DatedLeaf systemic_base_declared_at;
  bool modifier_crossed = false;
  DatedLeaf modifier_crossed_at;

  // Collector records skipped as impossible (never added to any figure), and
  // other principals' declarations and account claims refused for this
  // model: the first FoldOptions::max_rejected_records, in leaf order; the
  // later ones counted in rejected_not_kept (DQ1 counts them, and cites
  // them as evidence_not_listed).
  std::vector<RejectedRecord> rejected;
  RejectedNotKept rejected_not_kept;
  // Every rejected record, kept or not.
  uint64_t rejected_count() const {
    return rejected.size() + rejected_not_kept.total();
  }

  std::array<std::vector<DatedLeaf>, kDocumentKinds> documents;
  std::vector<DatedLeaf> notifications;
  std::vector<OfficeDecision> designations;
  std::vector<OfficeDecision> rebuttals;

  // The declaration in force, or null.
  const aifl::provider::v1::ModelDeclaration* declaration() const {
    return declarations.empty() ? nullptr : &declarations.back().declaration;
  }
  const DatedLeaf* declaration_leaf() const {
    return declarations.empty() ? nullptr : &declarations.back().at;
  }
};

// Declared training compute: the declaration's training range, else
// N·L·H·U, else 6·P·D; plus the same for same-provider further development.
FlopRange DeclaredTraining(const ModelState& state);
// Declared cumulative compute (the training figure when none is declared).
FlopRange DeclaredCumulative(const ModelState& state);
// Declared cumulative compute only where a cumulative figure itself is
// declared (no stand-in): what the declared-vs-measured check compares.
FlopRange DeclaredCumulativeOnly(const ModelState& state);
// True when the model is built on another provider's model.
bool IsModification(const ModelState& state);
// The base model's training compute as declared by the modifier (unknown when
// absent).
FlopRange BaseTraining(const ModelState& state);
// The modifier threshold (Guidelines paras 60-61): the base's known
// training compute / divisor; unknown base compute: the assumed base for a
// systemic / other base (by the declared BaseModel.systemic_risk) / divisor.
// Unknown (known = false) when it is not a modification or, with the base
// compute unknown, the base's systemic risk is not declared.
struct ModifierThreshold {
  bool known = false;
  bool fallback = false;  // para 61 decided it
  double flop = 0;
};
ModifierThreshold ModifierThresholdOf(const ModelState& state, double divisor,
                                      double assumed_if_systemic,
                                      double assumed_otherwise);
// Combined figures: lower = max(declared, measured lower), upper = max of the
// uppers. Cumulative compute of a modification adds the base's known compute
// when `add_base` — callers pass whether the modifier may be the provider
// (MODIFIER_IS_PROVIDER not false); a modifier that is not the provider never
// inherits the base's compute.
FlopRange CombinedTraining(const ModelState& state);
FlopRange CombinedCumulative(const ModelState& state, bool add_base = true);

}  // namespace rules

#endif  // RULES_MODEL_STATE_H_
