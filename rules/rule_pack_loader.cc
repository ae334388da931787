#include "rules/rule_pack_loader.h"

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/read_file.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "rules/deadline.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back(
        absl::StrCat("line ", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  std::vector<std::string> errors;
};

bool IsDerived(pack::Fact f) {
  return f == pack::GPAI || f == pack::SYSTEMIC_RISK ||
         f == pack::MODIFIER_IS_PROVIDER ||
         f == pack::PRESUMED_SYSTEMIC_MODIFICATION;
}

// The derived facts a rule reads: its applies_when facts and what its
// condition reads (cumulative compute adds the base's only for a modifier
// that is the provider; a presumed-systemic trigger reads M4's fact).
std::set<int> DerivedFactsRead(const pack::Rule& r) {
  std::set<int> read;
  for (const pack::Predicate& pred : r.applies_when()) {
    if (IsDerived(pred.fact())) read.insert(pred.fact());
    if (pred.fact() == pack::OPEN_SOURCE_EXEMPT)
      read.insert(pack::SYSTEMIC_RISK);
    if (pred.fact() == pack::DECLARANT_IS_PROVIDER) {
      read.insert(pack::MODIFIER_IS_PROVIDER);
    }
  }
  if ((r.has_compute_threshold() &&
       r.compute_threshold().quantity() == pack::CUMULATIVE_COMPUTE) ||
      r.has_notification_required()) {
    read.insert(pack::MODIFIER_IS_PROVIDER);
  }
  if (r.has_notification_required() &&
      r.notification_required().presumed_systemic_triggers()) {
    read.insert(pack::PRESUMED_SYSTEMIC_MODIFICATION);
  }
  return read;
}

absl::Status CheckHolidays(const RulePack& p) {
  std::set<int> years;
  for (const pack::HolidayYear& y : p.holidays()) {
    const std::string where = absl::StrCat("holidays ", y.year());
    if (y.year() < 1970 || y.year() > 2200 || !years.insert(y.year()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": year: got ", y.year(),
                       ", want a year 1970..2200 listed once"));
    }
    if (y.source().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": source: got \"\", want the published list it comes from"));
    }
    for (const std::string& d : y.days()) {
      absl::StatusOr<absl::CivilDay> day = ParseDay(d);
      if (!day.ok() || day->year() != y.year()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": days: got \"", d, "\", want YYYY-MM-DD in ", y.year()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Bad(const pack::Rule& r, absl::string_view field,
                 absl::string_view got, absl::string_view want) {
  return absl::InvalidArgumentError(
      absl::StrCat("rule ", r.id().empty() ? "<no id>" : r.id(), ": ", field,
                   ": got ", got.empty() ? "\"\"" : got, ", want ", want));
}

absl::Status CheckDate(const pack::Rule& r, absl::string_view field,
                       const std::string& date, bool required) {
  if (date.empty() && !required) return absl::OkStatus();
  if (!ParseDay(date).ok()) return Bad(r, field, date, "YYYY-MM-DD");
  return absl::OkStatus();
}

absl::Status CheckCondition(const pack::Rule& r) {
  switch (r.condition_case()) {
    case pack::Rule::kComputeThreshold:
      if (r.compute_threshold().quantity() == pack::QUANTITY_UNSPECIFIED) {
        return Bad(r, "compute_threshold.quantity", "unspecified",
                   "TRAINING_COMPUTE or CUMULATIVE_COMPUTE");
      }
      if (!(r.compute_threshold().threshold_flop() > 0)) {
        return Bad(r, "compute_threshold.threshold_flop",
                   absl::StrCat(r.compute_threshold().threshold_flop()), "> 0");
      }
      return absl::OkStatus();
    case pack::Rule::kModifierTest: {
      const auto& m = r.modifier_test();
      if (!(m.base_divisor() > 0) || !(m.assumed_base_if_systemic_flop() > 0) ||
          !(m.assumed_base_otherwise_flop() > 0)) {
        return Bad(r, "modifier_test", m.ShortDebugString(),
                   "base_divisor and both assumed bases > 0");
      }
      return absl::OkStatus();
    }
    case pack::Rule::kDocumentRequired:
      if (r.document_required().any_of_size() == 0) {
        return Bad(r, "document_required.any_of", "", "at least one kind");
      }
      return absl::OkStatus();
    case pack::Rule::kNotificationRequired: {
      const auto& n = r.notification_required();
      if (!(n.threshold_flop() > 0) || n.period_weeks() <= 0) {
        return Bad(r, "notification_required", n.ShortDebugString(),
                   "threshold_flop > 0 and period_weeks > 0");
      }
      if (n.forecast_triggers() && n.forecast_horizon_days() <= 0) {
        return Bad(r, "notification_required.forecast_horizon_days",
                   absl::StrCat(n.forecast_horizon_days()), "> 0");
      }
      return absl::OkStatus();
    }
    case pack::Rule::kDeclaredVsMeasured: {
      const auto& d = r.declared_vs_measured();
      if (d.quantity() == pack::QUANTITY_UNSPECIFIED || !(d.tolerance() > 0) ||
          !(d.tolerance() < 1)) {
        return Bad(r, "declared_vs_measured", d.ShortDebugString(),
                   "a quantity and 0 < tolerance < 1");
      }
      return absl::OkStatus();
    }
    case pack::Rule::kFlag:
    case pack::Rule::kDataQuality:
      return absl::OkStatus();
    case pack::Rule::CONDITION_NOT_SET:
      break;
  }
  return Bad(r, "condition", "none", "one of the condition kinds");
}

}  // namespace

absl::Status ValidateRulePack(const RulePack& p) {
  if (p.version().empty()) {
    return absl::InvalidArgumentError("version: got \"\", want a version");
  }
  if (p.rules_size() == 0) {
    return absl::InvalidArgumentError("rules: got none, want at least one");
  }
  std::set<std::string> ids;
  // Derived facts already tested by an earlier rule: defining them later
  // would be read too early.
  std::set<int> tested;
  for (const pack::Rule& r : p.rules()) {
    if (r.id().empty()) return Bad(r, "id", "", "a non-empty id");
    if (!ids.insert(r.id()).second) return Bad(r, "id", r.id(), "unique ids");
    if (r.title().empty()) return Bad(r, "title", "", "a title");
    if (r.citation().empty()) return Bad(r, "citation", "", "a legal citation");
    if (r.fact_status() == aifl::rules::v1::FACT_STATUS_UNSPECIFIED) {
      return Bad(r, "fact_status", "unspecified",
                 "PRIMARY, SECONDARY or UNVERIFIED");
    }
    if (r.unit() == aifl::rules::v1::UNIT_UNSPECIFIED) {
      return Bad(r, "unit", "unspecified", "an AI Office unit");
    }
    if (r.severity() == aifl::rules::v1::SEVERITY_UNSPECIFIED) {
      return Bad(r, "severity", "unspecified", "a severity");
    }
    absl::Status s = CheckCondition(r);
    if (!s.ok()) return s;
    s = CheckDate(r, "applies_from", r.applies_from(), false);
    if (!s.ok()) return s;
    if (r.has_grace()) {
      s = CheckDate(r, "grace.placed_before", r.grace().placed_before(), true);
      if (!s.ok()) return s;
      s = CheckDate(r, "grace.comply_by", r.grace().comply_by(), true);
      if (!s.ok()) return s;
    }
    for (int f : r.defines()) {
      const auto fact = static_cast<pack::Fact>(f);
      if (!IsDerived(fact)) {
        return Bad(r, "defines", pack::Fact_Name(fact),
                   "GPAI, SYSTEMIC_RISK, MODIFIER_IS_PROVIDER or "
                   "PRESUMED_SYSTEMIC_MODIFICATION");
      }
      if (tested.count(f) > 0) {
        return Bad(
            r, "defines", pack::Fact_Name(fact),
            "every rule defining a fact placed before the rules testing it");
      }
    }
    for (const pack::Predicate& pred : r.applies_when()) {
      if (pred.fact() == pack::FACT_UNSPECIFIED) {
        return Bad(r, "applies_when.fact", "FACT_UNSPECIFIED", "a fact");
      }
    }
    for (int f : DerivedFactsRead(r)) tested.insert(f);
  }
  return CheckHolidays(p);
}

absl::StatusOr<RulePack> ParseRulePack(absl::string_view text) {
  RulePack p;
  google::protobuf::TextFormat::Parser parser;
  Collector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &p)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule pack: ", absl::StrJoin(errors.errors, "; ")));
  }
  absl::Status s = ValidateRulePack(p);
  if (!s.ok()) return s;
  return p;
}

absl::StatusOr<RulePack> LoadRulePackFile(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("rule pack: ", text.status().message()));
  }
  absl::StatusOr<RulePack> p = ParseRulePack(*text);
  if (!p.ok()) {
    return absl::Status(p.status().code(),
                        absl::StrCat(path, ": ", p.status().message()));
  }
  return p;
}

}  // namespace rules
