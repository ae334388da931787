#include "tools/ledgerctl/output_format.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/json.h"

namespace ledgerctl {

std::string FormatKeys(const std::vector<KeyLine>& keys,
                       const std::vector<LogKeyLine>& log_keys, bool json) {
  std::string out;
  if (json) out += "[";
  bool first = true;
  for (const KeyLine& k : keys) {
    const std::string revoked = k.revoked_at_leaf
                                    ? absl::StrCat(*k.revoked_at_leaf)
                                    : std::string(json ? "null" : "-");
    if (json) {
      out += first ? "" : ",";
      out += absl::StrFormat(
          "\n  {\"key_id\": \"%s\", \"role\": \"%s\", \"organisation\": "
          "%s, "
          "\"node\": %s, \"tls_identity\": %s, "
          "\"enrolled_at_leaf\": %d, "
          "\"revoked_at_leaf\": %s, \"next_sequence\": %d}",
          k.key_id_hex, k.role, common::JsonQuote(k.organisation),
          common::JsonQuote(k.node), common::JsonQuote(k.tls_identity),
          k.enrolled_at_leaf, revoked, k.next_sequence);
    } else {
      out += absl::StrFormat(
          "%s  %-9s  enrolled@%-6d revoked@%-6s next_seq=%-6d %s%s%s\n",
          k.key_id_hex, k.role, k.enrolled_at_leaf, revoked, k.next_sequence,
          k.organisation, k.node.empty() ? "" : "/", k.node);
    }
    first = false;
  }
  for (const LogKeyLine& k : log_keys) {
    if (json) {
      out += first ? "" : ",";
      out += absl::StrFormat(
          "\n  {\"role\": \"log\", \"verifier_key\": %s, "
          "\"announced_at_leaf\": %d}",
          common::JsonQuote(k.verifier_key), k.announced_at_leaf);
    } else {
      out += absl::StrFormat("log-key  announced@%-6d %s\n",
                             k.announced_at_leaf, k.verifier_key);
    }
    first = false;
  }
  if (json) out += "\n]\n";
  return out;
}

std::string SimulatedClockLine(uint64_t since) {
  return absl::StrCat(
      "SIMULATED CLOCK: this ledger's integration times follow a simulated "
      "clock (marked at tree size ",
      since, "); it is not a real factory's record\n");
}

std::string FormatProof(const std::vector<ledger::merkle::Hash>& proof) {
  std::string out;
  for (const auto& hash : proof)
    absl::StrAppend(&out, ledger::merkle::HashToBase64(hash), "\n");
  return out;
}

std::string TwoSignificant(double value) {
  if (value == 0 || !std::isfinite(value)) return absl::StrCat(value);
  // "%.1e" gives "3.1e+24"; drop the '+' and leading exponent zeros.
  std::string s = absl::StrFormat("%.1e", value);
  const size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  const int exponent = std::atoi(s.c_str() + e + 1);
  return absl::StrCat(mantissa, "e", exponent);
}

std::string FlopRangeText(double lower, double upper) {
  if (lower == 0 && upper == 0) return "-";
  if (TwoSignificant(lower) == TwoSignificant(upper))
    return TwoSignificant(upper);
  return absl::StrCat(TwoSignificant(lower), "..", TwoSignificant(upper));
}

std::string ModelStatus(double cumulative_lower, double cumulative_upper,
                        uint32_t open_findings) {
  std::string s;
  if (cumulative_lower > kSystemicRiskThresholdFlop) {
    s = "above 1e25 (systemic-risk presumption)";
  } else if (cumulative_upper > kSystemicRiskThresholdFlop) {
    s = "may be above 1e25";
  } else if (cumulative_lower > kGpaiThresholdFlop) {
    s = "above 1e23 (GPAI indicative)";
  } else if (cumulative_upper > kGpaiThresholdFlop) {
    s = "may be above 1e23";
  } else {
    s = "below 1e23";
  }
  if (open_findings > 0)
    absl::StrAppend(&s, ", ", open_findings, " open finding",
                    open_findings == 1 ? "" : "s");
  return s;
}

}  // namespace ledgerctl
