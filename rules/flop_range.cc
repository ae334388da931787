#include "rules/flop_range.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "api/v1/common.pb.h"

namespace rules {

std::string MethodNames(MethodSet methods) {
  std::string out;
  for (int m = 0; m < 32; ++m) {
    if ((methods & (1u << m)) == 0) continue;
    if (!out.empty()) out += "+";
    out += aifl::common::v1::ComputeMethod_Name(m);
  }
  return out;
}

std::string TwoSig(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1e", value);
  return buf;
}

double RoundTwoSig(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1e", value);
  return std::strtod(buf, nullptr);
}

}  // namespace rules
