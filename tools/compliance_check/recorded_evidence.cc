#include "tools/compliance_check/recorded_evidence.h"

#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "rules/engine.h"
#include "rules/evidence.h"
#include "rules/payload_types.h"
#include "schema/findings.pb.h"

namespace compliance_check {
namespace {

namespace v1 = aifl::rules::v1;

struct Recorded {
  uint64_t leaf = 0;
  v1::Finding finding;
};

// The findings signed by rules keys, in leaf order (any that does not parse
// is left to the engine, which refuses it too).
std::vector<Recorded> RecordedFindings(
    const std::vector<rules::LedgerEntry>& entries) {
  std::vector<Recorded> out;
  for (const rules::LedgerEntry& e : entries) {
    if (e.payload_type != rules::kFindingType ||
        e.signer_role != aifl::ledger::v1::ROLE_RULES) {
      continue;
    }
    Recorded r{e.leaf_index, {}};
    if (r.finding.ParseFromString(e.payload)) out.push_back(std::move(r));
  }
  return out;
}

bool Comparable(const v1::Finding& f, const rules::RulePack& pack) {
  const bool old_form =
      f.evidence_sha256().empty() && f.evidence_leaves_size() > 0;
  return f.state() == v1::RAISED && f.rule_pack_version() == pack.version() &&
         !old_form;
}

std::string HashText(const std::string& sha256) {
  return sha256.empty() ? "(none)" : absl::BytesToHexString(sha256);
}

// The mismatch sentence for `r` against the replay's findings, or "".
std::string Compare(const Recorded& r, const std::vector<v1::Finding>& replay) {
  const v1::Finding& f = r.finding;
  const std::string what = absl::StrFormat(
      "the finding recorded at leaf %d (model %s, rule %s, evaluated at %s)",
      r.leaf, f.model_id(), f.rule_id(),
      absl::FormatTime(absl::RFC3339_sec,
                       absl::FromUnixMillis(f.evaluated_at_unix_ms()),
                       absl::UTCTimeZone()));
  for (const v1::Finding& g : replay) {
    if (g.model_id() != f.model_id() || g.rule_id() != f.rule_id()) continue;
    if (rules::EvidenceCount(g) == rules::EvidenceCount(f) &&
        g.evidence_sha256() == f.evidence_sha256()) {
      return "";
    }
    return absl::StrFormat(
        "%s cites %d leaves with SHA-256 %s; replaying the rules over the log "
        "gives %d leaves with SHA-256 %s",
        what, rules::EvidenceCount(f), HashText(f.evidence_sha256()),
        rules::EvidenceCount(g), HashText(g.evidence_sha256()));
  }
  return absl::StrCat(what, " is not raised when the rules are replayed");
}

}  // namespace

absl::StatusOr<RecordedEvidenceCheck> CheckRecordedEvidence(
    const rules::RulePack& pack,
    const std::vector<rules::LedgerEntry>& entries) {
  RecordedEvidenceCheck check;
  std::map<int64_t, std::vector<v1::Finding>> replays;  // by clock
  for (const Recorded& r : RecordedFindings(entries)) {
    if (!Comparable(r.finding, pack)) {
      ++check.not_compared;
      continue;
    }
    const int64_t at = r.finding.evaluated_at_unix_ms();
    auto it = replays.find(at);
    if (it == replays.end()) {
      // What the recorder saw: the entries before its finding (leaf
      // indices ascend along `entries`), integrated by its clock.
      std::vector<rules::LedgerEntry> before;
      for (const rules::LedgerEntry& e : entries) {
        if (e.leaf_index >= r.leaf) break;
        before.push_back(e);
      }
      ASSIGN_OR_RETURN(
          std::vector<v1::Finding> replay,
          rules::EvaluateAsOf(pack, before, absl::FromUnixMillis(at)));
      it = replays.emplace(at, std::move(replay)).first;
    }
    ++check.compared;
    std::string mismatch = Compare(r, it->second);
    if (!mismatch.empty()) check.mismatches.push_back(std::move(mismatch));
  }
  return check;
}

}  // namespace compliance_check
