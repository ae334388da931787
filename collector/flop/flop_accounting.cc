#include "collector/flop/flop_accounting.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace collector {
namespace flop {
namespace {

using aifl::common::v1::ComputeMethod;
using aifl::common::v1::Precision;

constexpr double kT = 1e12;

// Dense peaks from NVIDIA's data sheets (SXM parts). H200 has the H100 SXM's
// compute (more and faster memory only).
constexpr ChipSpec kH100Sxm{"H100-SXM", 1979 * kT, 989 * kT,
                            495 * kT,   67 * kT,   34 * kT};
constexpr ChipSpec kH200{"H200",   1979 * kT, 989 * kT,
                         495 * kT, 67 * kT,   34 * kT};
constexpr ChipSpec kA100{"A100", 0, 312 * kT, 156 * kT, 19.5 * kT, 9.7 * kT};

// How loose a method is: a sum of ranges carries the loosest one.
int Looseness(ComputeMethod m) {
  switch (m) {
    case aifl::common::v1::MEASURED_COUNTED:
      return 0;
    case aifl::common::v1::MEASURED_TENSOR_ACTIVITY:
      return 1;
    case aifl::common::v1::MEASURED_BUSY_TIME:
      return 2;
    default:
      return 3;
  }
}

double MaxPeak(const ChipSpec& chip) {
  return PeakFor(chip, HighestPrecision(chip));
}

double Clamp01(double v) { return std::min(1.0, std::max(0.0, v)); }

}  // namespace

const ChipSpec* FindChip(absl::string_view nvml_name) {
  // H100 PCIe / NVL have lower clocks and other peaks: not in the table.
  if (absl::StrContains(nvml_name, "H100") &&
      !absl::StrContains(nvml_name, "PCIe") &&
      !absl::StrContains(nvml_name, "NVL")) {
    return &kH100Sxm;
  }
  if (absl::StrContains(nvml_name, "H200")) return &kH200;
  if (absl::StrContains(nvml_name, "A100") &&
      !absl::StrContains(nvml_name, "PCIE")) {
    return &kA100;
  }
  return nullptr;
}

double PeakFor(const ChipSpec& chip, Precision precision) {
  switch (precision) {
    case aifl::common::v1::FP8:
      return chip.fp8;
    case aifl::common::v1::BF16:
    case aifl::common::v1::FP16:
      return chip.bf16;
    case aifl::common::v1::TF32:
      return chip.tf32;
    case aifl::common::v1::FP64:
      return chip.fp64_tensor;
    default:
      return 0;
  }
}

Precision HighestPrecision(const ChipSpec& chip) {
  return chip.fp8 > 0 ? aifl::common::v1::FP8 : aifl::common::v1::BF16;
}

FlopEstimate Estimate(const ChipSpec& chip, const ActivityInput& input,
                      const FlopAssumptions& assumptions) {
  FlopEstimate out;
  const double seconds = std::max(0.0, input.seconds);
  const Precision high = HighestPrecision(chip);
  const double max_peak = MaxPeak(chip);
  auto* range = &out.range;
  if (input.tensor_fraction.has_value()) {
    const double tensor_s = Clamp01(*input.tensor_fraction) * seconds;
    const Precision low = assumptions.lowest_precision;
    range->set_lower(tensor_s * PeakFor(chip, low));
    range->set_upper(tensor_s * max_peak);
    range->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
    range->set_assumptions(absl::StrCat(
        aifl::common::v1::Precision_Name(low), "..",
        aifl::common::v1::Precision_Name(high), " dense, ", chip.model,
        "; tensor-active time x peak (counters cannot tell FP8 from BF16)"));
    out.precision_low = low;
    out.precision_high = high;
  } else {
    const double busy_s =
        input.busy_fraction ? Clamp01(*input.busy_fraction) * seconds : seconds;
    range->set_lower(0);
    range->set_upper(busy_s * max_peak);
    range->set_method(aifl::common::v1::MEASURED_BUSY_TIME);
    range->set_assumptions(absl::StrCat(
        "0..", aifl::common::v1::Precision_Name(high), " dense, ", chip.model,
        input.busy_fraction ? "; no tensor counters: SM-busy time x max peak"
                            : "; no activity counters: allocated time x max "
                              "peak"));
    out.precision_low = aifl::common::v1::PRECISION_UNSPECIFIED;
    out.precision_high = high;
  }
  if (input.counted_flop.has_value()) {
    const double counted = *input.counted_flop;
    if (counted < 0 || counted > range->upper()) {
      range->set_assumptions(absl::StrCat(range->assumptions(),
                                          "; counted FLOP ",
                                          absl::StrFormat("%.6g", counted),
                                          " outside hardware range: ignored"));
    } else {
      const double tol = assumptions.counted_tolerance;
      range->set_lower(std::max(range->lower(), counted * (1 - tol)));
      range->set_upper(std::min(range->upper(), counted * (1 + tol)));
      range->set_method(aifl::common::v1::MEASURED_COUNTED);
      range->set_assumptions(
          absl::StrCat(range->assumptions(), "; narrowed by counted FLOP +/-",
                       absl::StrFormat("%g", tol * 100), "%"));
    }
  }
  return out;
}

void AddFlopRange(aifl::common::v1::FlopRange* a,
                  const aifl::common::v1::FlopRange& b) {
  a->set_lower(a->lower() + b.lower());
  a->set_upper(a->upper() + b.upper());
  if (Looseness(b.method()) > Looseness(a->method())) a->set_method(b.method());
  if (!b.assumptions().empty() &&
      !absl::StrContains(a->assumptions(), b.assumptions())) {
    a->set_assumptions(
        a->assumptions().empty()
            ? b.assumptions()
            : absl::StrCat(a->assumptions(), " | ", b.assumptions()));
  }
}

void Accumulate(FlopEstimate* a, const FlopEstimate& b) {
  auto* ra = &a->range;
  const auto& rb = b.range;
  const bool a_empty =
      ra->method() == aifl::common::v1::COMPUTE_METHOD_UNSPECIFIED &&
      ra->upper() == 0 && ra->assumptions().empty();
  if (a_empty) {
    *a = b;
    return;
  }
  AddFlopRange(ra, rb);
  // Widen: the lowest low (UNSPECIFIED = 0 means "could be none"), highest
  // high.
  a->precision_low = std::min(a->precision_low, b.precision_low);
  a->precision_high = std::max(a->precision_high, b.precision_high);
}

absl::Status CheckPlausible(const ChipSpec& chip,
                            const aifl::common::v1::FlopRange& range,
                            double active_seconds) {
  if (range.lower() < 0 || range.upper() < range.lower()) {
    return absl::FailedPreconditionError(
        absl::StrFormat("flop range: got [%g, %g], want 0 <= lower <= upper",
                        range.lower(), range.upper()));
  }
  const double cap = MaxPeak(chip) * std::max(0.0, active_seconds);
  // A relative slack absorbs floating-point rounding in sums.
  if (range.upper() > cap * (1 + 1e-9)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "flop upper: got %g, want <= %g (%s max dense peak x %g s active)",
        range.upper(), cap, chip.model, active_seconds));
  }
  return absl::OkStatus();
}

}  // namespace flop
}  // namespace collector
