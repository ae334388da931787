#include "rules/model_state_fold.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "rules/collector_record_check.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace rules {
namespace {

using aifl::ledger::v1::Role;
namespace common = aifl::common::v1;
namespace collector = aifl::collector::v1;
namespace provider = aifl::provider::v1;
namespace office = aifl::office::v1;

using Affected = std::vector<std::string>;

template <typename Msg>
absl::Status Parse(const LedgerEntry& e, Role want_role, Msg* msg) {
  if (e.signer_role != want_role) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", e.leaf_index, ": ", e.payload_type, " signed by role ",
        aifl::ledger::v1::Role_Name(e.signer_role), ", want ",
        aifl::ledger::v1::Role_Name(want_role)));
  }
  if (!msg->ParseFromString(e.payload)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", e.leaf_index, ": payload does not parse as ", e.payload_type));
  }
  return absl::OkStatus();
}

enum class Counting { kTraining, kCumulativeOnly, kExcluded };

Counting CountingOf(common::RunPurpose p) {
  switch (p) {
    case common::PRE_TRAINING:
    case common::FINE_TUNING:
    case common::RUN_PURPOSE_UNSPECIFIED:  // conservative: counted, tagged
      return Counting::kTraining;
    case common::SYNTHETIC_DATA_NON_PUBLIC:
    case common::MERGE_OR_INIT:
      return Counting::kCumulativeOnly;
    default:
      return Counting::kExcluded;
  }
}

int PurposeIndex(int p) { return p >= 0 && p < kPurposeCount ? p : 0; }

// Lists `leaf` in `kept` while it holds fewer than `max` (0: no limit),
// else only counts it.
void KeepLeaf(uint64_t leaf, uint64_t max, std::vector<uint64_t>* kept,
              uint64_t* not_kept) {
  if (max == 0 || kept->size() < max) {
    kept->push_back(leaf);
  } else {
    ++*not_kept;
  }
}

}  // namespace

ModelStateFold::ModelStateFold(FoldOptions options)
    : options_(std::move(options)) {}

void ModelStateFold::Reject(const std::string& id, RejectedRecord r) {
  ModelState& m = Get(id);
  KeepRejected(std::move(r), options_.max_rejected_records, &m.rejected,
               &m.rejected_not_kept);
}

const ModelState* ModelStateFold::Find(absl::string_view model_id) const {
  auto it = models_.find(Canonical(model_id));
  return it == models_.end() ? nullptr : &it->second;
}

std::string ModelStateFold::Canonical(absl::string_view model_id) const {
  std::string id(model_id);
  for (int hops = 0; hops < 16; ++hops) {  // alias chains are short
    auto it = alias_.find(id);
    if (it == alias_.end()) break;
    id = it->second;
  }
  return id;
}

ModelState& ModelStateFold::Get(const std::string& canonical_id) {
  ModelState& m = models_[canonical_id];
  if (m.model_id.empty()) {
    m.model_id = canonical_id;
    m.crossings.resize(options_.watched_thresholds.size());
    for (size_t i = 0; i < m.crossings.size(); ++i) {
      m.crossings[i].threshold = options_.watched_thresholds[i];
    }
  }
  return m;
}

void ModelStateFold::UpdateCrossings(ModelState& m, const DatedLeaf& at) {
  if (!m.modifier_crossed && options_.modifier_divisor > 0) {
    const ModifierThreshold t =
        ModifierThresholdOf(m, options_.modifier_divisor,
                            options_.modifier_assumed_if_systemic_flop,
                            options_.modifier_assumed_otherwise_flop);
    const FlopRange mod = CombinedTraining(m);
    if (t.known && mod.known && mod.lower > t.flop) {
      m.modifier_crossed = true;
      m.modifier_crossed_at = at;
    }
  }
  if (m.crossings.empty()) return;
  const FlopRange cum = CombinedCumulative(m);
  if (!cum.known) return;
  const double span_s =
      (m.last_interval_end_ms - m.first_interval_start_ms) / 1000.0;
  const double rate =
      span_s > 0 ? m.measured_cumulative.lower / span_s : 0;  // FLOP/s
  const double horizon_s = absl::ToDoubleSeconds(options_.forecast_horizon);
  for (Crossing& c : m.crossings) {
    if (c.crossed) continue;
    if (cum.lower > c.threshold) {
      c.crossed = true;
      c.crossed_at = at;
      continue;
    }
    if (!c.forecast && horizon_s > 0 && m.active_runs > 0 && rate > 0 &&
        (c.threshold - cum.lower) / rate <= horizon_s) {
      c.forecast = true;
      c.forecast_at = at;
    }
  }
}

absl::StatusOr<Affected> ModelStateFold::Apply(const LedgerEntry& e) {
  if (any_applied_ && e.leaf_index <= last_leaf_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "leaf_index: got ", e.leaf_index, ", want > ", last_leaf_));
  }
  const DatedLeaf at{e.leaf_index, e.integration_time};
  absl::StatusOr<Affected> result = Affected{};
  const std::string& t = e.payload_type;
  if (t == kIntervalReportType) {
    result = ApplyInterval(e, at);
  } else if (t == kRunStartedType) {
    result = ApplyRunStarted(e, at);
  } else if (t == kRunEndedType) {
    result = ApplyRunEnded(e);
  } else if (t == kModelDeclarationType) {
    result = ApplyDeclaration(e, at);
  } else if (t.rfind(kProviderTypePrefix, 0) == 0) {
    result = ApplyProviderFact(e, at);
  } else if (t.rfind(kOfficeTypePrefix, 0) == 0) {
    result = ApplyOfficeFact(e, at);
  }
  if (result.ok()) {
    any_applied_ = true;
    last_leaf_ = e.leaf_index;
  }
  return result;
}

absl::StatusOr<Affected> ModelStateFold::ApplyRunStarted(const LedgerEntry& e,
                                                         const DatedLeaf& at) {
  collector::RunStarted rs;
  absl::Status s = Parse(e, aifl::ledger::v1::ROLE_COLLECTOR, &rs);
  if (!s.ok()) return s;
  std::string id = Canonical(rs.model_id());
  if (id.empty()) {
    auto it = account_model_.find(rs.account());
    if (it != account_model_.end()) id = it->second;
  }
  run_model_[rs.run_id()] = id;
  if (id.empty()) return Affected{};
  ModelState& m = Get(id);
  RunState& run = m.runs[rs.run_id()];
  if (!run.has_start) {
    run.run_id = rs.run_id();
    run.account = rs.account();
    run.label = rs.run_label();
    run.purpose = rs.purpose();
    run.started = at;
    run.has_start = true;
    ++m.active_runs;
  }
  const std::string impossible =
      ImpossiblePlannedFlop(rs.planned_compute_flop());
  if (!impossible.empty()) {
    Reject(id, {e.leaf_index, impossible});
    return Affected{id};
  }
  if (rs.planned_compute_flop() > run.planned_flop) {
    run.planned_flop = rs.planned_compute_flop();
  }
  if (rs.planned_compute_flop() >
      (m.planned_highs.empty() ? 0 : m.planned_highs.back().flop)) {
    m.planned_highs.push_back({rs.planned_compute_flop(), at});
  }
  return Affected{id};
}

absl::StatusOr<Affected> ModelStateFold::ApplyInterval(const LedgerEntry& e,
                                                       const DatedLeaf& at) {
  collector::IntervalReport iv;
  absl::Status s = Parse(e, aifl::ledger::v1::ROLE_COLLECTOR, &iv);
  if (!s.ok()) return s;
  std::string id = Canonical(iv.model_id());
  if (id.empty()) {
    auto run_it = run_model_.find(iv.run_id());
    if (run_it != run_model_.end()) id = run_it->second;
  }
  if (id.empty()) {
    auto acct_it = account_model_.find(iv.account());
    if (acct_it != account_model_.end()) id = acct_it->second;
  }
  const std::string impossible = ImpossibleInterval(iv, e.integration_time);
  if (!impossible.empty()) {
    RejectedRecord bad{e.leaf_index, impossible};
    if (id.empty()) {
      KeepRejected(std::move(bad), options_.max_rejected_records,
                   &rejected_unattributed_, &rejected_unattributed_not_kept_);
      return Affected{};
    }
    Reject(id, std::move(bad));
    return Affected{id};
  }
  const double lo = iv.flop().lower();
  const double hi = iv.flop().upper();
  const int method = iv.flop().method();
  if (id.empty()) {
    unattributed_.Add(lo, hi, method);
    KeepLeaf(e.leaf_index, options_.max_evidence_leaves, &unattributed_leaves_,
             &unattributed_not_kept_);
    return Affected{};
  }
  ModelState& m = Get(id);
  RunState& run = m.runs[iv.run_id()];
  if (run.run_id.empty()) {
    run.run_id = iv.run_id();
    run.account = iv.account();
    run.purpose = iv.purpose();
  }
  const common::RunPurpose purpose =
      iv.purpose() != common::RUN_PURPOSE_UNSPECIFIED ? iv.purpose()
                                                      : run.purpose;
  m.measured_by_purpose[PurposeIndex(purpose)].Add(lo, hi, method);
  switch (CountingOf(purpose)) {
    case Counting::kTraining:
      m.measured_training.Add(lo, hi, method);
      [[fallthrough]];
    case Counting::kCumulativeOnly:
      m.measured_cumulative.Add(lo, hi, method);
      KeepLeaf(e.leaf_index, options_.max_evidence_leaves, &m.counted_leaves,
               &m.counted_not_kept);
      break;
    case Counting::kExcluded:
      KeepLeaf(e.leaf_index, options_.max_evidence_leaves, &m.excluded_leaves,
               &m.excluded_not_kept);
      break;
  }
  m.measured_by_account[iv.account().empty() ? run.account : iv.account()].Add(
      lo, hi, method);
  m.measured_by_label[run.label].Add(lo, hi, method);
  run.flop.Add(lo, hi, method);
  ++run.intervals;
  if (iv.has_energy_joules()) {
    m.accelerator_energy_joules += iv.energy_joules();
    run.accelerator_energy_joules += iv.energy_joules();
  } else {
    ++m.intervals_without_energy;
  }
  if (m.first_interval_start_ms == 0 ||
      iv.start_unix_ms() < m.first_interval_start_ms) {
    m.first_interval_start_ms = iv.start_unix_ms();
  }
  if (iv.end_unix_ms() > m.last_interval_end_ms) {
    m.last_interval_end_ms = iv.end_unix_ms();
  }
  UpdateCrossings(m, at);
  return Affected{id};
}

absl::StatusOr<Affected> ModelStateFold::ApplyRunEnded(const LedgerEntry& e) {
  collector::RunEnded re;
  absl::Status s = Parse(e, aifl::ledger::v1::ROLE_COLLECTOR, &re);
  if (!s.ok()) return s;
  auto it = run_model_.find(re.run_id());
  if (it == run_model_.end() || it->second.empty()) return Affected{};
  ModelState& m = Get(it->second);
  RunState& run = m.runs[re.run_id()];
  if (!run.ended) {
    run.ended = true;
    if (run.has_start && m.active_runs > 0) --m.active_runs;
  }
  return Affected{it->second};
}

std::string ModelStateFold::OtherOwner(const std::string& canonical_id,
                                       const std::string& signer) const {
  auto it = models_.find(canonical_id);
  if (it == models_.end() || it->second.owner.empty()) return "";
  return it->second.owner == signer ? "" : it->second.owner;
}

absl::StatusOr<Affected> ModelStateFold::ApplyDeclaration(const LedgerEntry& e,
                                                          const DatedLeaf& at) {
  provider::ModelDeclaration d;
  absl::Status s = Parse(e, aifl::ledger::v1::ROLE_PROVIDER, &d);
  if (!s.ok()) return s;
  if (d.model_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", e.leaf_index, ": model_id: got \"\", want an id"));
  }
  const std::string signer = SignerPrincipal(e);
  // Aliases need an explicit same_provider: true (absent = not declared).
  const bool alias = d.has_base_model() && d.base_model().same_provider() &&
                     !d.base_model().model_id().empty() &&
                     Canonical(d.base_model().model_id()) != d.model_id();
  const std::string id =
      Canonical(alias ? d.base_model().model_id() : d.model_id());
  // A model belongs to the principal of its first declaration: another's
  // declaration (or alias onto it, or re-pointing its id as an alias) is not
  // folded in, but kept on the owned model for DQ1 to report.
  for (const std::string& target : {id, Canonical(d.model_id())}) {
    const std::string owner = OtherOwner(target, signer);
    if (owner.empty()) continue;
    Reject(target,
           {e.leaf_index,
            absl::StrCat("a ModelDeclaration of \"", d.model_id(), "\"",
                         alias ? " as a further development of it" : "",
                         " signed by ", signer, "; the model belongs to ",
                         owner, ": not folded"),
            RejectedRecord::Kind::kOtherOwner});
    return Affected{target};
  }
  DeclarationRecord record{at, e.signer_organisation, d};
  ModelState& m = Get(id);
  if (m.owner.empty()) m.owner = signer;
  if (alias) {
    alias_[d.model_id()] = id;
    bool replaced = false;
    for (DeclarationRecord& a : m.alias_declarations) {
      if (a.declaration.model_id() == d.model_id()) {
        a = record;  // supersedes; the older one stays in the log
        replaced = true;
      }
    }
    if (!replaced) {
      m.aliases.push_back(d.model_id());
      m.alias_declarations.push_back(record);
    }
  } else {
    m.declarations.push_back(record);
  }
  Affected affected{id};
  ClaimAccounts(e, d, id, signer, &affected);
  FoldDeclaredFacts(d, at, m);
  return affected;
}

void ModelStateFold::ClaimAccounts(const LedgerEntry& e,
                                   const provider::ModelDeclaration& d,
                                   const std::string& id,
                                   const std::string& signer,
                                   Affected* affected) {
  for (const std::string& account : d.scheduler_accounts()) {
    auto it = account_model_.find(account);
    const std::string owner =
        it == account_model_.end() ? "" : OtherOwner(it->second, signer);
    if (owner.empty()) {
      account_model_[account] = id;
      continue;
    }
    // The account stays with the model that claimed it first.
    Reject(it->second, {e.leaf_index,
                        absl::StrCat("a ModelDeclaration signed by ", signer,
                                     " lists scheduler account \"", account,
                                     "\", which this model of ", owner,
                                     " holds: not taken"),
                        RejectedRecord::Kind::kOtherOwner});
    if (std::find(affected->begin(), affected->end(), it->second) ==
        affected->end()) {
      affected->push_back(it->second);
    }
  }
}

void ModelStateFold::FoldDeclaredFacts(const provider::ModelDeclaration& d,
                                       const DatedLeaf& at, ModelState& m) {
  if ((d.intends_eu_market() || d.placed_on_eu_market()) &&
      !m.has_eu_market_intent) {
    m.has_eu_market_intent = true;
    m.eu_market_intent = at;
  }
  if (IsModification(m) && m.declaration()->base_model().systemic_risk() &&
      !m.systemic_base_declared) {
    m.systemic_base_declared = true;
    m.systemic_base_declared_at = at;
  }
  const double planned = d.compute().planned_flop();
  if (std::isfinite(planned) &&
      planned > (m.planned_highs.empty() ? 0 : m.planned_highs.back().flop)) {
    m.planned_highs.push_back({planned, at});
  }
  UpdateCrossings(m, at);
}

absl::StatusOr<Affected> ModelStateFold::ApplyProviderFact(
    const LedgerEntry& e, const DatedLeaf& at) {
  const auto role = aifl::ledger::v1::ROLE_PROVIDER;
  const std::string& t = e.payload_type;
  std::string id;
  if (t == kDocumentSubmissionType) {
    provider::DocumentSubmission doc;
    absl::Status s = Parse(e, role, &doc);
    if (!s.ok()) return s;
    id = Canonical(doc.model_id());
    if (id.empty()) return Affected{};
    if (RefusedForOtherOwner(e, id)) return Affected{id};
    const int kind = doc.kind();
    if (kind > 0 && kind < kDocumentKinds)
      Get(id).documents[kind].push_back(at);
  } else if (t == kEvaluationReportType) {
    provider::EvaluationReport ev;
    absl::Status s = Parse(e, role, &ev);
    if (!s.ok()) return s;
    id = Canonical(ev.model_id());
    if (id.empty()) return Affected{};
    if (RefusedForOtherOwner(e, id)) return Affected{id};
    ModelState& m = Get(id);
    m.documents[provider::MODEL_EVALUATION].push_back(at);
    if (ev.adversarial()) {
      m.documents[provider::ADVERSARIAL_TESTING].push_back(at);
    }
  } else if (t == kIncidentReportType) {
    provider::IncidentReport inc;
    absl::Status s = Parse(e, role, &inc);
    if (!s.ok()) return s;
    id = Canonical(inc.model_id());
    if (id.empty()) return Affected{};
    if (RefusedForOtherOwner(e, id)) return Affected{id};
    Get(id).documents[provider::SERIOUS_INCIDENT_REPORT].push_back(at);
  } else if (t == kNotificationType) {
    provider::Notification n;
    absl::Status s = Parse(e, role, &n);
    if (!s.ok()) return s;
    id = Canonical(n.model_id());
    if (id.empty()) return Affected{};
    if (RefusedForOtherOwner(e, id)) return Affected{id};
    Get(id).notifications.push_back(at);
  } else {
    return Affected{};
  }
  return Affected{id};
}

bool ModelStateFold::RefusedForOtherOwner(const LedgerEntry& e,
                                          const std::string& id) {
  const std::string signer = SignerPrincipal(e);
  const std::string owner = OtherOwner(id, signer);
  if (owner.empty()) return false;
  absl::string_view type = e.payload_type;
  absl::ConsumePrefix(&type, kProviderTypePrefix);
  RejectedRecord refused{
      e.leaf_index,
      absl::StrCat("the ", type, " about \"", id, "\" signed by ", signer,
                   "; the model belongs to ", owner, ": not folded"),
      RejectedRecord::Kind::kOtherOwner};
  refused.declaration = false;
  Reject(id, std::move(refused));
  return true;
}

absl::StatusOr<Affected> ModelStateFold::ApplyOfficeFact(const LedgerEntry& e,
                                                         const DatedLeaf& at) {
  const auto role = aifl::ledger::v1::ROLE_OFFICE;
  std::string id;
  if (e.payload_type == kDesignationType) {
    office::Designation d;
    absl::Status s = Parse(e, role, &d);
    if (!s.ok()) return s;
    id = Canonical(d.model_id());
    if (id.empty()) return Affected{};
    OfficeDecision dec;
    dec.at = at;
    dec.systemic_risk = d.systemic_risk();
    Get(id).designations.push_back(dec);
  } else if (e.payload_type == kRebuttalDecisionType) {
    office::RebuttalDecision r;
    absl::Status s = Parse(e, role, &r);
    if (!s.ok()) return s;
    id = Canonical(r.model_id());
    if (id.empty()) return Affected{};
    OfficeDecision dec;
    dec.at = at;
    dec.kind = r.kind();
    dec.accepted = r.accepted();
    Get(id).rebuttals.push_back(dec);
  } else {
    return Affected{};
  }
  return Affected{id};
}

}  // namespace rules
