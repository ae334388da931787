// Builds ledger entries for rules tests: each Add* call appends one entry with
// the next leaf index and a given (or advancing) integration time.
#ifndef RULES_TESTONLY_LEDGER_BUILDER_H_
#define RULES_TESTONLY_LEDGER_BUILDER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "rules/deadline.h"
#include "rules/ledger_entry.h"
#include "schema/collector.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace rules {
namespace testonly {

// Brussels wall-clock time.
inline absl::Time At(int y, int m, int d, int hh = 12, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), BrusselsZone());
}

class LedgerBuilder {
 public:
  explicit LedgerBuilder(absl::Time start = At(2025, 9, 1, 10)) : now_(start) {}

  // Appends `msg` signed by `role`; at `when` if given, else one minute after
  // the previous entry. Returns the leaf index.
  uint64_t Add(const google::protobuf::Message& msg,
               aifl::ledger::v1::Role role,
               absl::Time when = absl::InfinitePast()) {
    now_ = when == absl::InfinitePast() ? now_ + absl::Minutes(1) : when;
    LedgerEntry e;
    e.leaf_index = entries_.size();
    e.integration_time = now_;
    e.signer_role = role;
    e.signer_organisation = "org";
    e.payload_type = msg.GetDescriptor()->full_name();
    e.payload = msg.SerializeAsString();
    entries_.push_back(e);
    return e.leaf_index;
  }
  uint64_t Provider(const google::protobuf::Message& m,
                    absl::Time when = absl::InfinitePast()) {
    return Add(m, aifl::ledger::v1::ROLE_PROVIDER, when);
  }
  uint64_t Collector(const google::protobuf::Message& m,
                     absl::Time when = absl::InfinitePast()) {
    return Add(m, aifl::ledger::v1::ROLE_COLLECTOR, when);
  }
  uint64_t Office(const google::protobuf::Message& m,
                  absl::Time when = absl::InfinitePast()) {
    return Add(m, aifl::ledger::v1::ROLE_OFFICE, when);
  }

  const std::vector<LedgerEntry>& entries() const { return entries_; }
  absl::Time now() const { return now_; }

 private:
  absl::Time now_;
  std::vector<LedgerEntry> entries_;
};

// An EU provider's text model under a proprietary licence, declared not
// (yet) meant for the EU market and not placed on it, no compute. Every
// tri-state fact is declared explicitly (absent would be "unknown").
inline aifl::provider::v1::ModelDeclaration Declaration(const std::string& id) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id(id);
  d.set_provider("Provider SA");
  d.set_provider_country("FR");
  d.set_provider_in_eu(true);
  d.add_modalities(aifl::provider::v1::TEXT);
  d.mutable_licence()->set_spdx_id("LicenseRef-proprietary");
  d.mutable_licence()->set_open_source(false);
  d.set_intends_eu_market(false);
  d.set_placed_on_eu_market(false);
  return d;
}

// Sets a declared point estimate for both counters.
inline void DeclareCompute(aifl::provider::v1::ModelDeclaration* d,
                           double flop) {
  for (auto* r : {d->mutable_compute()->mutable_training(),
                  d->mutable_compute()->mutable_cumulative()}) {
    r->set_lower(flop);
    r->set_upper(flop);
    r->set_method(aifl::common::v1::DECLARED_HARDWARE);
  }
}

inline void PlaceOnMarket(aifl::provider::v1::ModelDeclaration* d,
                          absl::Time when) {
  d->set_intends_eu_market(true);
  d->set_placed_on_eu_market(true);
  d->set_placed_on_market_unix_ms(absl::ToUnixMillis(when));
}

// A measured pre-training interval of one hour ending at `end`.
inline aifl::collector::v1::IntervalReport Interval(
    const std::string& model, double lower, double upper,
    absl::Time end = absl::FromUnixSeconds(1756720800),
    aifl::common::v1::RunPurpose purpose = aifl::common::v1::PRE_TRAINING) {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id("c/1");
  r.set_node("n1");
  r.set_start_unix_ms(absl::ToUnixMillis(end - absl::Hours(1)));
  r.set_end_unix_ms(absl::ToUnixMillis(end));
  r.set_gpu_count(8);
  r.set_energy_joules(1e9);
  r.mutable_flop()->set_lower(lower);
  r.mutable_flop()->set_upper(upper);
  r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  r.set_model_id(model);
  r.set_account("acct");
  r.set_purpose(purpose);
  return r;
}

inline aifl::provider::v1::DocumentSubmission Document(
    const std::string& model, aifl::provider::v1::DocumentKind kind) {
  aifl::provider::v1::DocumentSubmission d;
  d.set_model_id(model);
  d.set_kind(kind);
  d.set_sha256(std::string(32, 'x'));
  return d;
}

inline aifl::provider::v1::Notification Notification(const std::string& model,
                                                     double flop) {
  aifl::provider::v1::Notification n;
  n.set_model_id(model);
  n.set_compute_flop(flop);
  n.set_method(aifl::common::v1::DECLARED_HARDWARE);
  n.set_threshold_met(true);
  return n;
}

}  // namespace testonly
}  // namespace rules

#endif  // RULES_TESTONLY_LEDGER_BUILDER_H_
