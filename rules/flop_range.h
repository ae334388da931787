// A compute (FLOP) figure as a closed range with how it was obtained, and the
// three-state comparison against a strict ">" threshold. Value type; pure.
#ifndef RULES_FLOP_RANGE_H_
#define RULES_FLOP_RANGE_H_

#include <string>

namespace rules {

// Bit flags over aifl.common.v1.ComputeMethod values (1 << method).
using MethodSet = unsigned;

struct FlopRange {
  bool known = false;  // false: no figure at all (information missing)
  double lower = 0;
  double upper = 0;
  MethodSet methods = 0;

  // Adds [lower, upper] obtained by `method` (an aifl.common.v1.ComputeMethod).
  void Add(double add_lower, double add_upper, int method) {
    known = true;
    lower += add_lower;
    upper += add_upper;
    methods |= 1u << method;
  }
};

enum class ThresholdState { kBelow, kPossiblyOver, kOver };

// over: lower > t; possibly over: upper > t; else below. Strict, so a figure
// of exactly t is below. REQUIRES: range.known.
inline ThresholdState Compare(const FlopRange& range, double threshold) {
  if (range.lower > threshold) return ThresholdState::kOver;
  if (range.upper > threshold) return ThresholdState::kPossiblyOver;
  return ThresholdState::kBelow;
}

// "MEASURED_TENSOR_ACTIVITY+DECLARED_HARDWARE" for a method set ("" if none).
std::string MethodNames(MethodSet methods);

// A number with two significant figures, e.g. "2.3e+25", "1.0e+25".
std::string TwoSig(double value);
// `value` rounded to two significant figures.
double RoundTwoSig(double value);

}  // namespace rules

#endif  // RULES_FLOP_RANGE_H_
