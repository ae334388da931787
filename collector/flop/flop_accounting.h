// Pure FLOP accounting: turns per-device activity over one interval into a
// FLOP range [lower, upper] with the method and the assumptions that produced
// it. No clock, no I/O, no NVML: every input is a value.
//
// Method, in order of preference (see collector/README.md):
//  1. Tensor activity (Hopper+ GPM "any tensor pipe active"): the tensor pipe
//     was busy for `tensor_fraction × seconds`. Lower bound = that time × the
//     dense peak of the lowest precision assumed to run (BF16 by default, or
//     TF32 / FP64 when declared); upper bound = that time × the dense peak of
//     the highest precision the chip has (FP8 on Hopper). Hopper's cheap
//     counters cannot tell FP8 from BF16, so the range spans both.
//  2. Busy time (no tensor counters): upper = busy seconds × the chip's maximum
//     dense peak; lower = 0 (no documented floor: a busy GPU may run no
//     tensor work at all). Busy = SM-active fraction × seconds when known,
//     else the whole allocated interval.
//  3. Counted FLOP (CUPTI calibration) narrows the range to the count ± its
//     tolerance, clipped to the hardware range; a count above the hardware
//     upper bound is implausible and ignored (noted in the assumptions).
// Plausibility: no figure ever exceeds the chip's maximum dense peak × the
// interval (CheckPlausible).
//
// Thread-safety: all functions are pure; the chip table is immutable.
#ifndef COLLECTOR_FLOP_FLOP_ACCOUNTING_H_
#define COLLECTOR_FLOP_FLOP_ACCOUNTING_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "schema/common.pb.h"

namespace collector {
namespace flop {

// Dense (non-sparse) peak throughput of one chip, FLOP/s. A peak of 0 means
// the chip has no such tensor path.
struct ChipSpec {
  const char* model;  // e.g. "H100-SXM": the IntervalReport.device_model
  double fp8 = 0;
  double bf16 = 0;  // FP16 is the same on every chip in the table
  double tf32 = 0;
  double fp64_tensor = 0;
  double fp64_vector = 0;
};

// Finds the chip for an NVML device name ("NVIDIA H100 80GB HBM3",
// "NVIDIA H200", "NVIDIA A100-SXM4-80GB"). Returns nullptr for chips not in
// the table (then no hardware FLOP estimate is made). The returned pointer
// refers to a static table and is never freed.
const ChipSpec* FindChip(absl::string_view nvml_name);

// The dense peak of `precision` on `chip`, FLOP/s; 0 when unsupported.
double PeakFor(const ChipSpec& chip, aifl::common::v1::Precision precision);

// The highest dense tensor peak the chip has (FP8 on Hopper, BF16 on Ampere).
aifl::common::v1::Precision HighestPrecision(const ChipSpec& chip);

// What the operator or the job declared about the precisions in use.
struct FlopAssumptions {
  // The lowest-throughput precision that could have run on the tensor pipe.
  // Default BF16 (mixed-precision training); TF32 or FP64 when declared.
  // Default: BF16.
  aifl::common::v1::Precision lowest_precision = aifl::common::v1::BF16;
  // Relative tolerance of a counted FLOP figure. Default: 0.05.
  double counted_tolerance = 0.05;
};

// Activity of one device (or several identical devices summed) over one
// interval. Fractions are in [0, 1]; absent means the counter gave no reading.
struct ActivityInput {
  double seconds = 0;                     // length of the interval (> 0)
  std::optional<double> tensor_fraction;  // GPM any-tensor-active
  std::optional<double> busy_fraction;    // GPM SM-active (or busy time)
  std::optional<double> counted_flop;     // CUPTI calibration count
};

// A FLOP range with its provenance; `range` is ready for IntervalReport.flop.
struct FlopEstimate {
  aifl::common::v1::FlopRange range;
  aifl::common::v1::Precision precision_low =
      aifl::common::v1::PRECISION_UNSPECIFIED;
  aifl::common::v1::Precision precision_high =
      aifl::common::v1::PRECISION_UNSPECIFIED;
};

// Estimates the FLOP of one interval on `chip`. Never fails: missing counters
// fall back to busy time (method MEASURED_BUSY_TIME), and the assumptions
// string says so.
FlopEstimate Estimate(const ChipSpec& chip, const ActivityInput& input,
                      const FlopAssumptions& assumptions = {});

// Adds `b` into `a` (ranges of consecutive intervals or several devices): sums
// the bounds; the method becomes the weaker of the two (busy time beats
// tensor activity beats counted), precisions widen, assumptions are kept once.
void Accumulate(FlopEstimate* a, const FlopEstimate& b);

// The range part of Accumulate, shared with the spool's record merging: sums
// the bounds, keeps the looser method, keeps each assumption text once.
void AddFlopRange(aifl::common::v1::FlopRange* a,
                  const aifl::common::v1::FlopRange& b);

// kFailedPrecondition when `range` claims more than `chip`'s maximum dense
// peak × `active_seconds` (or lower > upper, or a negative bound); OK
// otherwise.
absl::Status CheckPlausible(const ChipSpec& chip,
                            const aifl::common::v1::FlopRange& range,
                            double active_seconds);

}  // namespace flop
}  // namespace collector

#endif  // COLLECTOR_FLOP_FLOP_ACCOUNTING_H_
