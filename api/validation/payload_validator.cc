#include "api/validation/payload_validator.h"

#include <cmath>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/roles.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/common.pb.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace api::validation {
namespace {

constexpr int64_t kMicrosPerMs = 1000;
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000LL;

// Checks fields in order and keeps the first violation.
class FieldChecker {
 public:
  explicit FieldChecker(const TimeWindow& window) : window_(window) {}

  absl::Status status() const { return status_; }

  // Finite and >= 0.
  void Amount(absl::string_view field, double value) {
    if (!std::isfinite(value)) {
      Fail(field, absl::StrCat(value), "a finite number");
    } else if (value < 0) {
      Fail(field, absl::StrCat(value), ">= 0");
    }
  }
  // Finite and in [0, 1].
  void Share(absl::string_view field, double value) {
    Amount(field, value);
    if (status_.ok() && value > 1) Fail(field, absl::StrCat(value), "<= 1");
  }
  // Both ends amounts, lower <= upper.
  void Range(absl::string_view prefix, double lower, double upper) {
    Amount(absl::StrCat(prefix, "lower"), lower);
    Amount(absl::StrCat(prefix, "upper"), upper);
    if (status_.ok() && lower > upper) {
      Fail(absl::StrCat(prefix, "lower"), absl::StrCat(lower),
           absl::StrCat("<= ", prefix, "upper (", upper, ")"));
    }
  }
  void Flop(absl::string_view prefix, const aifl::common::v1::FlopRange& r) {
    Range(prefix, r.lower(), r.upper());
    Enum(absl::StrCat(prefix, "method"), r.method(),
         aifl::common::v1::ComputeMethod_IsValid);
  }
  // A timestamp inside the window.
  void Time(absl::string_view field, int64_t unix_ms) {
    Between(field, unix_ms, window_.earliest_unix_ms, window_.latest_unix_ms);
  }
  // 0 (= none) or a timestamp inside the window.
  void OptionalTime(absl::string_view field, int64_t unix_ms) {
    if (unix_ms != 0) Time(field, unix_ms);
  }
  // end >= start, both in the window.
  void Interval(absl::string_view start_field, int64_t start,
                absl::string_view end_field, int64_t end) {
    Time(start_field, start);
    Time(end_field, end);
    if (status_.ok() && end < start) {
      Fail(end_field, absl::StrCat(end),
           absl::StrCat(">= ", start_field, " (", start, ")"));
    }
  }
  void Between(absl::string_view field, int64_t value, int64_t lo, int64_t hi) {
    if (value < lo || value > hi) {
      Fail(field, absl::StrCat(value), absl::StrCat(lo, "..", hi));
    }
  }
  void Enum(absl::string_view field, int value, bool (*is_valid)(int)) {
    if (!is_valid(value)) {
      Fail(field, absl::StrCat(value), "a value the schema defines");
    }
  }
  // Exactly 32 bytes; `optional` also accepts empty.
  void Sha256(absl::string_view field, const std::string& bytes,
              bool optional) {
    if (bytes.size() == 32 || (optional && bytes.empty())) return;
    Fail(field, absl::StrCat(bytes.size(), " bytes"),
         optional ? "empty or 32 bytes" : "32 bytes");
  }

 private:
  void Fail(absl::string_view field, absl::string_view got,
            absl::string_view want) {
    if (!status_.ok()) return;
    status_ = absl::InvalidArgumentError(
        absl::StrCat("payload field ", field, ": got ", got, ", want ", want));
  }

  TimeWindow window_;
  absl::Status status_;
};

using aifl::common::v1::Precision_IsValid;
using aifl::common::v1::RunPurpose_IsValid;

void CheckRunStarted(const aifl::collector::v1::RunStarted& m,
                     FieldChecker& c) {
  c.Amount("planned_compute_flop", m.planned_compute_flop());
  c.Time("start_unix_ms", m.start_unix_ms());
  c.Enum("purpose", m.purpose(), RunPurpose_IsValid);
}

void CheckIntervalReport(const aifl::collector::v1::IntervalReport& m,
                         FieldChecker& c) {
  c.Interval("start_unix_ms", m.start_unix_ms(), "end_unix_ms",
             m.end_unix_ms());
  c.Amount("gpu_seconds_allocated", m.gpu_seconds_allocated());
  if (m.has_gpu_seconds_active()) {
    c.Amount("gpu_seconds_active", m.gpu_seconds_active());
  }
  if (m.has_energy_joules()) c.Amount("energy_joules", m.energy_joules());
  c.Flop("flop.", m.flop());
  c.Enum("precision_low", m.precision_low(), Precision_IsValid);
  c.Enum("precision_high", m.precision_high(), Precision_IsValid);
  c.Enum("purpose", m.purpose(), RunPurpose_IsValid);
}

void CheckRunEnded(const aifl::collector::v1::RunEnded& m, FieldChecker& c) {
  c.Time("end_unix_ms", m.end_unix_ms());
}

void CheckKernelSummary(const aifl::collector::v1::KernelSummary& m,
                        FieldChecker& c) {
  c.Interval("start_unix_ms", m.start_unix_ms(), "end_unix_ms",
             m.end_unix_ms());
  c.Amount("busy_seconds", m.busy_seconds());
  c.Share("tensor_kernel_share", m.tensor_kernel_share());
  if (m.has_counted_flop()) c.Amount("counted_flop", m.counted_flop());
}

void CheckRecordRefused(const aifl::collector::v1::RecordRefused& m,
                        FieldChecker& c) {
  c.Sha256("envelope_sha256", m.envelope_sha256(), /*optional=*/false);
}

void CheckModelDeclaration(const aifl::provider::v1::ModelDeclaration& m,
                           FieldChecker& c) {
  for (int i = 0; i < m.modalities_size(); ++i) {
    c.Enum(absl::StrCat("modalities[", i, "]"), m.modalities(i),
           aifl::provider::v1::Modality_IsValid);
  }
  c.OptionalTime("placed_on_market_unix_ms", m.placed_on_market_unix_ms());
  if (m.has_base_model() && m.base_model().has_training_compute_flop()) {
    c.Amount("base_model.training_compute_flop",
             m.base_model().training_compute_flop());
  }
  if (!m.has_compute()) return;
  const aifl::provider::v1::ComputeDeclaration& d = m.compute();
  c.Flop("compute.training.", d.training());
  c.Flop("compute.cumulative.", d.cumulative());
  c.Amount("compute.planned_flop", d.planned_flop());
  c.Amount("compute.units", d.units());
  c.Amount("compute.seconds", d.seconds());
  c.Amount("compute.peak_flop_per_s", d.peak_flop_per_s());
  c.Share("compute.utilisation", d.utilisation());
  c.Amount("compute.parameters", d.parameters());
  c.Amount("compute.tokens", d.tokens());
  c.Enum("compute.precision", d.precision(), Precision_IsValid);
  if (d.has_node_energy_joules()) {
    c.Amount("compute.node_energy_joules", d.node_energy_joules());
  }
  if (d.has_facility_energy_joules()) {
    c.Amount("compute.facility_energy_joules", d.facility_energy_joules());
  }
}

void CheckDocumentSubmission(const aifl::provider::v1::DocumentSubmission& m,
                             FieldChecker& c) {
  c.Enum("kind", m.kind(), aifl::provider::v1::DocumentKind_IsValid);
  c.Sha256("sha256", m.sha256(), /*optional=*/false);
}

void CheckNotification(const aifl::provider::v1::Notification& m,
                       FieldChecker& c) {
  c.Amount("compute_flop", m.compute_flop());
  c.Enum("method", m.method(), aifl::common::v1::ComputeMethod_IsValid);
}

void CheckEvaluationReport(const aifl::provider::v1::EvaluationReport& m,
                           FieldChecker& c) {
  c.Sha256("sha256", m.sha256(), /*optional=*/true);
}

void CheckIncidentReport(const aifl::provider::v1::IncidentReport& m,
                         FieldChecker& c) {
  c.OptionalTime("occurred_unix_ms", m.occurred_unix_ms());
  c.Sha256("sha256", m.sha256(), /*optional=*/true);
}

void CheckDesignation(const aifl::office::v1::Designation&, FieldChecker&) {}

void CheckRebuttalDecision(const aifl::office::v1::RebuttalDecision& m,
                           FieldChecker& c) {
  c.Enum("kind", m.kind(), aifl::office::v1::RebuttalKind_IsValid);
}

void CheckFactoryCheckpoint(const aifl::office::v1::FactoryCheckpoint& m,
                            FieldChecker& c) {
  c.Sha256("root_hash", m.root_hash(), /*optional=*/false);
}

void CheckModelTotals(const aifl::office::v1::ModelTotals& m, FieldChecker& c) {
  c.Flop("training.", m.training());
  c.Flop("cumulative.", m.cumulative());
  c.Amount("accelerator_energy_joules", m.accelerator_energy_joules());
  for (int i = 0; i < m.factories_size(); ++i) {
    const aifl::office::v1::FactoryShare& f = m.factories(i);
    const std::string at = absl::StrCat("factories[", i, "].");
    c.Flop(absl::StrCat(at, "measured_training."), f.measured_training());
    c.Flop(absl::StrCat(at, "measured_cumulative."), f.measured_cumulative());
    c.Amount(absl::StrCat(at, "accelerator_energy_joules"),
             f.accelerator_energy_joules());
  }
  for (int i = 0; i < m.union_crossings_size(); ++i) {
    c.Amount(absl::StrCat("union_crossings[", i, "].threshold_flop"),
             m.union_crossings(i).threshold_flop());
  }
  c.Time("evaluated_at_unix_ms", m.evaluated_at_unix_ms());
}

void CheckFinding(const aifl::rules::v1::Finding& m, FieldChecker& c) {
  c.Enum("fact_status", m.fact_status(), aifl::rules::v1::FactStatus_IsValid);
  c.Enum("unit", m.unit(), aifl::rules::v1::Unit_IsValid);
  c.Enum("severity", m.severity(), aifl::rules::v1::Severity_IsValid);
  c.Enum("state", m.state(), aifl::rules::v1::FindingState_IsValid);
  for (int i = 0; i < m.figures_size(); ++i) {
    c.Range(absl::StrCat("figures[", i, "]."), m.figures(i).lower(),
            m.figures(i).upper());
  }
  c.Time("evaluated_at_unix_ms", m.evaluated_at_unix_ms());
  if (m.deadline_unix_ms() != 0) {
    c.Between("deadline_unix_ms", m.deadline_unix_ms(),
              kEarliestPayloadTimeUnixMs, kLatestDeadlineUnixMs);
  }
}

using Validator =
    std::function<absl::Status(absl::string_view, const TimeWindow&)>;

// Parses `payload` as M and runs `check` over it.
template <typename M>
Validator Schema(void (*check)(const M&, FieldChecker&)) {
  return [check](absl::string_view payload, const TimeWindow& window) {
    M message;
    if (!message.ParseFromArray(payload.data(),
                                static_cast<int>(payload.size()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "payload: does not parse as ", M::descriptor()->full_name()));
    }
    FieldChecker checker(window);
    check(message, checker);
    return checker.status();
  };
}

const absl::flat_hash_map<std::string, Validator>& Validators() {
  static const auto* validators =
      new absl::flat_hash_map<std::string, Validator>{
          {rules::kRunStartedType, Schema(&CheckRunStarted)},
          {rules::kIntervalReportType, Schema(&CheckIntervalReport)},
          {rules::kRunEndedType, Schema(&CheckRunEnded)},
          {rules::kKernelSummaryType, Schema(&CheckKernelSummary)},
          {rules::kRecordRefusedType, Schema(&CheckRecordRefused)},
          {rules::kModelDeclarationType, Schema(&CheckModelDeclaration)},
          {rules::kDocumentSubmissionType, Schema(&CheckDocumentSubmission)},
          {rules::kNotificationType, Schema(&CheckNotification)},
          {rules::kEvaluationReportType, Schema(&CheckEvaluationReport)},
          {rules::kIncidentReportType, Schema(&CheckIncidentReport)},
          {rules::kDesignationType, Schema(&CheckDesignation)},
          {rules::kRebuttalDecisionType, Schema(&CheckRebuttalDecision)},
          {rules::kFactoryCheckpointType, Schema(&CheckFactoryCheckpoint)},
          {rules::kModelTotalsType, Schema(&CheckModelTotals)},
          {rules::kFindingType, Schema(&CheckFinding)},
      };
  return *validators;
}

bool IsOpaqueBlob(absl::string_view type) {
  for (absl::string_view role : {"collector", "provider", "office", "rules"}) {
    if (type == absl::StrCat("aifl.", role, ".v1.Blob")) return true;
  }
  return false;
}

}  // namespace

TimeWindow WindowForIntegrationTime(int64_t integration_time_micros) {
  return TimeWindow{kEarliestPayloadTimeUnixMs,
                    integration_time_micros / kMicrosPerMs + kDayMs};
}

absl::Status ValidatePayload(absl::string_view payload_type,
                             absl::string_view payload,
                             const TimeWindow& window) {
  if (payload_type == ledger::kKeyEventType || IsOpaqueBlob(payload_type)) {
    return absl::OkStatus();
  }
  auto it = Validators().find(payload_type);
  if (it == Validators().end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "payload_type: got \"", payload_type,
        "\", want a payload type of schema/ (collector, provider, office, "
        "findings), aifl.ledger.v1.KeyEvent or aifl.<role>.v1.Blob"));
  }
  return it->second(payload, window);
}

}  // namespace api::validation
