#include "rules/flop_range.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "schema/common.pb.h"

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

namespace {

// Correctly rounded powers of ten (literals), 1e-39 .. 1e39.
double Pow10(int e) {
  static const double* table = [] {
    static double t[79];
    char buf[16];
    for (int i = 0; i < 79; ++i) {
      std::snprintf(buf, sizeof(buf), "1e%d", i - 39);
      t[i] = std::strtod(buf, nullptr);
    }
    return t;
  }();
  return e >= -39 && e <= 39 ? table[e + 39] : std::pow(10.0, e);
}

// value ≈ digits × 10^(exp - 1), digits in [10, 99]. False for 0 / non-finite.
bool Split(double value, int* digits, int* exp) {
  if (value == 0 || !std::isfinite(value)) return false;
  const double a = std::fabs(value);
  int e = static_cast<int>(std::floor(std::log10(a)));
  double d = a / Pow10(e - 1);
  if (d < 9.95) {  // log10 rounding near a power of ten
    --e;
    d = a / Pow10(e - 1);
  } else if (d >= 99.5) {
    ++e;
    d = a / Pow10(e - 1);
  }
  int n = static_cast<int>(std::lround(d));
  if (n >= 100) {
    n = 10;
    ++e;
  }
  *digits = n;
  *exp = e;
  return true;
}

}  // namespace

// Same text as printf("%.1e") (rounding half away from zero on the decimal
// digits rather than on the binary value), without printf's cost.
std::string TwoSig(double value) {
  int digits, exp;
  if (!Split(value, &digits, &exp)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1e", value);
    return buf;
  }
  char buf[32];
  char* p = buf;
  if (value < 0) *p++ = '-';
  *p++ = static_cast<char>('0' + digits / 10);
  *p++ = '.';
  *p++ = static_cast<char>('0' + digits % 10);
  *p++ = 'e';
  *p++ = exp < 0 ? '-' : '+';
  const int ae = exp < 0 ? -exp : exp;
  if (ae >= 100) *p++ = static_cast<char>('0' + ae / 100);
  *p++ = static_cast<char>('0' + (ae / 10) % 10);
  *p++ = static_cast<char>('0' + ae % 10);
  return std::string(buf, p);
}

double RoundTwoSig(double value) {
  int digits, exp;
  if (!Split(value, &digits, &exp)) return value;
  const double r = digits * Pow10(exp - 1);
  return value < 0 ? -r : r;
}

}  // namespace rules
