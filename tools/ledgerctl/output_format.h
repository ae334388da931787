// Output formats ledgerctl shares between local and --server mode, so both
// print the same bytes, and the auditor's number formats. Pure; thread-safe.
#ifndef TOOLS_LEDGERCTL_OUTPUT_FORMAT_H_
#define TOOLS_LEDGERCTL_OUTPUT_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/merkle/hash.h"

namespace ledgerctl {

// One enrolled key as `ledgerctl keys` prints it.
struct KeyLine {
  std::string key_id_hex;  // 32 hex digits
  std::string role;        // admin, collector, provider, office, rules
  std::string organisation;
  std::string node;
  std::string tls_identity;
  uint64_t enrolled_at_leaf = 0;
  std::optional<uint64_t> revoked_at_leaf;
  uint64_t next_sequence = 0;
};

// One log key as `ledgerctl keys` prints it.
struct LogKeyLine {
  std::string verifier_key;  // the note verifier key
  uint64_t announced_at_leaf = 0;
};

// The `keys` output: one line per key, then one per log key (oldest first,
// the last is current); or a JSON array with `json`, where log keys are
// objects with "role": "log", "verifier_key" and "announced_at_leaf". (The
// first checkpoint each log key signed is not printed: a log read from
// tiles cannot prove it; Audit.GetLogKeys serves it with its proof.)
std::string FormatKeys(const std::vector<KeyLine>& keys,
                       const std::vector<LogKeyLine>& log_keys, bool json);

// One base64 hash per line (the plain proof format of prove/consistency).
std::string FormatProof(const std::vector<ledger::merkle::Hash>& proof);

// The line `keys` and `verify` print for a ledger marked as written under a
// simulated clock (ledger/FORMAT.md, "Storage") since tree size `since`.
std::string SimulatedClockLine(uint64_t since);

// Two significant figures in E notation: 3.1e+24 → "3.1e24", 0 → "0".
std::string TwoSignificant(double value);
// "lower..upper" of a FLOP range, each with two significant figures, or "-"
// when both are 0 (unknown).
std::string FlopRangeText(double lower, double upper);

// The AI Act thresholds the auditor's views compare compute with.
inline constexpr double kGpaiThresholdFlop = 1e23;
inline constexpr double kSystemicRiskThresholdFlop = 1e25;

// A model's status from its cumulative compute range and open findings, e.g.
// "above 1e25 (systemic-risk presumption), 2 open findings".
std::string ModelStatus(double cumulative_lower, double cumulative_upper,
                        uint32_t open_findings);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_OUTPUT_FORMAT_H_
