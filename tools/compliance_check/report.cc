#include "tools/compliance_check/report.h"

#include <cmath>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "rules/evaluator.h"
#include "rules/evidence.h"
#include "rules/flop_range.h"

namespace compliance_check {
namespace {

namespace v1 = aifl::rules::v1;
using common::JsonQuote;

constexpr v1::Unit kUnits[] = {v1::REGULATION_AND_COMPLIANCE, v1::AI_SAFETY,
                               v1::UNIT_UNSPECIFIED};

const char* UnitName(v1::Unit u) {
  switch (u) {
    case v1::REGULATION_AND_COMPLIANCE:
      return "Regulation and Compliance";
    case v1::AI_SAFETY:
      return "AI Safety";
    default:
      return "No unit";
  }
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string MillisText(int64_t ms) {
  return TimeText(absl::FromUnixMillis(ms));
}

bool IsCount(const v1::Figure& f) {
  return f.method().empty() && f.lower() == f.upper() &&
         f.lower() == std::floor(f.lower()) && f.lower() < 1e15;
}

std::string Header(const CheckResult& r, v1::Severity fail_on) {
  std::string s =
      absl::StrCat("Ledger ", r.origin, ": ", r.entries_evaluated,
                   " entries evaluated (latest checkpoint: ", r.checkpoint_size,
                   " leaves, signature and root verified)");
  if (r.ledger_size > r.checkpoint_size + r.recorded.size()) {
    absl::StrAppend(&s, "; ", r.ledger_size - r.checkpoint_size,
                    " later leaves not yet checkpointed, not evaluated");
  }
  absl::StrAppend(&s, "\nEvaluated as of ", TimeText(r.clock),
                  " with rule pack ", r.rule_pack_version, "\n",
                  r.findings.size(), " findings, ", r.failing, " at or above ",
                  v1::Severity_Name(fail_on), "\n");
  if (r.not_evidence.count() > 0) {
    absl::StrAppend(&s, "NOT EVIDENCE: ", r.not_evidence.Summary(), "\n");
  }
  if (r.simulated_clock_since) {
    absl::StrAppend(&s,
                    "SIMULATED CLOCK: this ledger's integration times follow a "
                    "simulated clock (marked at tree size ",
                    *r.simulated_clock_since,
                    "); it is not a real factory's record\n");
  }
  return s;
}

void AppendFindingText(const v1::Finding& f, std::string* s) {
  absl::StrAppend(s, "  [", v1::Severity_Name(f.severity()), "] ", f.rule_id(),
                  " ", rules::FactStatusTag(f.fact_status()), " ", f.citation(),
                  " — model ", f.model_id(), "\n    ", f.message(), "\n");
  for (const v1::Figure& fig : f.figures()) {
    absl::StrAppend(s, "    figure ", fig.name(), ": ", FigureText(fig), "\n");
  }
  if (f.deadline_unix_ms() != 0) {
    absl::StrAppend(s, "    deadline (exclusive): ",
                    MillisText(f.deadline_unix_ms()), "\n");
  }
  const std::vector<uint64_t> cited = rules::CitedLeaves(f);
  absl::StrAppend(s, "    evidence leaves: ",
                  cited.empty() ? "none" : absl::StrJoin(cited, ", "));
  const uint64_t total = rules::EvidenceCount(f);
  if (cited.size() < total) {  // ranges cut at rules::kMaxEvidenceRanges
    absl::StrAppend(s, " … (", cited.size(), " listed of ", total,
                    " leaves; SHA-256 of all: ",
                    absl::BytesToHexString(f.evidence_sha256()), ")");
  }
  absl::StrAppend(s, "\n");
}

std::string FindingJson(const v1::Finding& f) {
  std::string figures;
  for (const v1::Figure& fig : f.figures()) {
    absl::StrAppend(&figures, figures.empty() ? "" : ",",
                    "{\"name\":", JsonQuote(fig.name()),
                    ",\"lower\":", fig.lower(), ",\"upper\":", fig.upper(),
                    ",\"method\":", JsonQuote(fig.method()),
                    ",\"text\":", JsonQuote(FigureText(fig)), "}");
  }
  return absl::StrCat(
      "{\"model\":", JsonQuote(f.model_id()),
      ",\"rule\":", JsonQuote(f.rule_id()), ",\"title\":", JsonQuote(f.title()),
      ",\"citation\":", JsonQuote(f.citation()),
      ",\"fact_status\":", JsonQuote(rules::FactStatusTag(f.fact_status())),
      ",\"unit\":", JsonQuote(v1::Unit_Name(f.unit())),
      ",\"severity\":", JsonQuote(v1::Severity_Name(f.severity())),
      ",\"state\":", JsonQuote(v1::FindingState_Name(f.state())),
      ",\"message\":", JsonQuote(f.message()), ",\"figures\":[", figures,
      "],\"evidence_leaves\":[", absl::StrJoin(rules::CitedLeaves(f), ","),
      "],\"evidence_count\":", rules::EvidenceCount(f), ",\"evidence_sha256\":",
      f.evidence_sha256().empty()
          ? "null"
          : JsonQuote(absl::BytesToHexString(f.evidence_sha256())),
      ",\"deadline\":",
      f.deadline_unix_ms() != 0 ? JsonQuote(MillisText(f.deadline_unix_ms()))
                                : "null",
      ",\"rule_pack_version\":", JsonQuote(f.rule_pack_version()), "}");
}

// {"count":N,"first":[{"leaf":i,"why":"…"},…]} (at most the first ten).
std::string NotEvidenceJson(const compliance::NotEvidenceTally& t) {
  std::string first;
  for (const compliance::NotEvidenceTally::Leaf& l : t.first()) {
    absl::StrAppend(&first, first.empty() ? "" : ",", "{\"leaf\":", l.index,
                    ",\"why\":", JsonQuote(l.why), "}");
  }
  return absl::StrCat("{\"count\":", t.count(), ",\"first\":[", first, "]}");
}

}  // namespace

std::string FigureText(const v1::Figure& f) {
  if (IsCount(f)) return absl::StrCat(static_cast<int64_t>(f.lower()));
  std::string s = f.lower() == f.upper()
                      ? rules::TwoSig(f.lower())
                      : absl::StrCat(rules::TwoSig(f.lower()), "..",
                                     rules::TwoSig(f.upper()));
  if (!f.method().empty()) absl::StrAppend(&s, " (", f.method(), ")");
  return s;
}

namespace {

// --check_recorded: one summary line, then one line per mismatch.
void AppendRecordedEvidenceText(const RecordedEvidenceCheck& c,
                                std::string* s) {
  absl::StrAppend(s, "\nRecorded findings: ", c.compared,
                  " compared with a replay of the rules, ", c.mismatches.size(),
                  " with other evidence; ", c.not_compared,
                  " not compared (cleared, another rule pack, or the old "
                  "evidence form)\n");
  for (const std::string& m : c.mismatches) {
    absl::StrAppend(s, "EVIDENCE MISMATCH: ", m, "\n");
  }
}

std::string RecordedEvidenceJson(
    const std::optional<RecordedEvidenceCheck>& c) {
  if (!c) return "";
  std::string mismatches;
  for (const std::string& m : c->mismatches) {
    absl::StrAppend(&mismatches, mismatches.empty() ? "" : ",", JsonQuote(m));
  }
  return absl::StrCat(",\"recorded_evidence\":{\"compared\":", c->compared,
                      ",\"not_compared\":", c->not_compared,
                      ",\"mismatches\":[", mismatches, "]}");
}

}  // namespace

std::string TextReport(const CheckResult& r, v1::Severity fail_on) {
  std::string s = Header(r, fail_on);
  for (v1::Unit unit : kUnits) {
    std::string body;
    for (const v1::Finding& f : r.findings) {
      if (f.unit() == unit) AppendFindingText(f, &body);
    }
    if (body.empty() && unit == v1::UNIT_UNSPECIFIED) continue;
    absl::StrAppend(&s, "\n== ", UnitName(unit), " ==\n",
                    body.empty() ? "  (no findings)\n" : body);
  }
  if (r.recorded_evidence) AppendRecordedEvidenceText(*r.recorded_evidence, &s);
  if (!r.recorded.empty()) {
    absl::StrAppend(&s, "\nRecorded ", r.recorded.size(),
                    " findings in the ledger from leaf ", r.recorded_from_leaf,
                    ":\n");
    for (const v1::Finding& f : r.recorded) {
      absl::StrAppend(&s, "  ", v1::FindingState_Name(f.state()), " ",
                      f.model_id(), " ", f.rule_id(), " [",
                      v1::Severity_Name(f.severity()), "]");
      if (f.has_index_citation()) {
        absl::StrAppend(&s, " cites the index: ", f.index_citation().count(),
                        " entries below size ",
                        f.index_citation().input_size());
      }
      s += "\n";
    }
  }
  return s;
}

std::string JsonReport(const CheckResult& r, v1::Severity fail_on) {
  std::string findings, recorded;
  for (const v1::Finding& f : r.findings) {
    absl::StrAppend(&findings, findings.empty() ? "" : ",\n  ", FindingJson(f));
  }
  for (const v1::Finding& f : r.recorded) {
    absl::StrAppend(&recorded, recorded.empty() ? "" : ",\n  ", FindingJson(f));
  }
  return absl::StrCat(
      "{\"origin\":", JsonQuote(r.origin),
      ",\"checkpoint_size\":", r.checkpoint_size,
      ",\"ledger_size\":", r.ledger_size,
      ",\"entries_evaluated\":", r.entries_evaluated,
      ",\"as_of\":", JsonQuote(TimeText(r.clock)),
      ",\"rule_pack_version\":", JsonQuote(r.rule_pack_version),
      ",\"fail_on\":", JsonQuote(v1::Severity_Name(fail_on)),
      ",\"failing\":", r.failing, ",\n \"findings\":[\n  ", findings,
      "],\n \"recorded\":[", recorded,
      "],\"recorded_from_leaf\":", r.recorded_from_leaf,
      ",\"not_evidence\":", NotEvidenceJson(r.not_evidence),
      ",\"simulated_clock_since\":",
      r.simulated_clock_since ? absl::StrCat(*r.simulated_clock_since) : "null",
      RecordedEvidenceJson(r.recorded_evidence), "}\n");
}

}  // namespace compliance_check
