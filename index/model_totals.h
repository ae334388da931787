// A model's compute and energy totals, folded incrementally from its
// collector IntervalReports in log order: the one computation of the
// figures the Code of Practice's form states (tools/ledgerctl/model_form.h
// builds the form from these totals) and the totals the verifiable index
// commits to in map version 2 (index/FORMAT.md, "Totals"). So the index, a
// replaying verifier and a statement's verifier fold the same numbers with
// the same code, and a statement can cite the index's totals instead of
// carrying every entry.
//
// Which intervals count is the rules engine's reading (Guidelines Annex
// A.1): training = pre-training, fine-tuning or no declared purpose;
// cumulative = training plus non-public synthetic data and merged or
// initialisation weights; other purposes are not folded. Sums are IEEE 754
// doubles added in log order, so every folder gets the same bits.
//
// Pure values; thread-compatible.
#ifndef INDEX_MODEL_TOTALS_H_
#define INDEX_MODEL_TOTALS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/map_hash.h"
#include "schema/collector.pb.h"

namespace vindex {

// The figures of one device model across the training intervals.
struct HardwareTotals {
  uint64_t gpus = 0;   // sum over its distinct nodes of their largest count
  uint64_t nodes = 0;  // distinct nodes
  double gpu_seconds = 0;
  uint64_t intervals = 0;
};

struct ModelTotals {
  uint64_t training_intervals = 0;
  double flop_lower = 0, flop_upper = 0;
  std::set<uint32_t> flop_methods;  // aifl.common.v1.ComputeMethod numbers
  std::set<uint32_t> precisions;    // aifl.common.v1.Precision numbers
  uint64_t cumulative_intervals = 0;
  double cumulative_lower = 0, cumulative_upper = 0;
  std::set<uint32_t> cumulative_methods;
  double energy_joules = 0;
  uint64_t energy_intervals = 0;  // training intervals with an NVML reading
  int64_t first_start_ms = 0;     // earliest training interval start
  int64_t last_end_ms = 0;        // latest training interval end (0 floor)
  double gpu_seconds = 0;
  // By device model name ("not reported" when the collector gave none).
  std::map<std::string, HardwareTotals> hardware;

  // Equal encodings (so NaN sums compare by their bits).
  bool operator==(const ModelTotals& o) const;
};

bool IsTrainingPurpose(aifl::common::v1::RunPurpose p);
bool IsCumulativePurpose(aifl::common::v1::RunPurpose p);

// The device model name the totals file an interval under.
std::string DeviceModelOf(const aifl::collector::v1::IntervalReport& r);

// The canonical bytes of `t` (FORMAT.md, "Totals") and SHA-256 of them,
// the totals hash a version 2 map leaf commits to.
std::string EncodeTotals(const ModelTotals& t);
Hash TotalsHash(const ModelTotals& t);

// Parses EncodeTotals' bytes; only the canonical encoding (sets and rows
// ascending, no trailing bytes) is accepted. kInvalidArgument otherwise.
absl::StatusOr<ModelTotals> DecodeTotals(absl::string_view bytes);

// The fold: totals plus what keeps them incremental (each node's largest
// GPU count per device model, for `gpus` and `nodes`).
class TotalsFold {
 public:
  // Folds one IntervalReport (any purpose; uncounted ones change nothing).
  void AddInterval(const aifl::collector::v1::IntervalReport& r);

  const ModelTotals& totals() const { return totals_; }

  // The fold's state for storage: EncodeTotals, then per hardware row (in
  // order) its nodes ascending as (u32 length, name, u32 largest count).
  std::string EncodeState() const;
  static absl::StatusOr<TotalsFold> DecodeState(absl::string_view bytes);

 private:
  ModelTotals totals_;
  std::map<std::string, std::map<std::string, uint32_t>> gpus_per_node_;
};

}  // namespace vindex

#endif  // INDEX_MODEL_TOTALS_H_
