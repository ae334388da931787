#include "compliance/testonly/factory_log.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "rules/testonly/ledger_builder.h"
#include "schema/collector.pb.h"

namespace compliance::testonly {

absl::StatusOr<std::unique_ptr<FactoryLog>> FactoryLog::Create(
    const std::string& origin) {
  auto log = std::unique_ptr<FactoryLog>(new FactoryLog());
  log->origin_ = origin;
  ASSIGN_OR_RETURN(log->fixture_,
                   ledger::testonly::LedgerFixture::Create(origin));
  ASSIGN_OR_RETURN(log->collector_,
                   log->fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR,
                                              absl::StrCat(origin, " nodes")));
  return log;
}

absl::Status FactoryLog::EnrolProvider(const std::string& name, uint8_t seed,
                                       const std::string& organisation) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::SigningKey::FromSeed(
                       std::string(32, static_cast<char>(seed))));
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(std::string(key->public_key().bytes()));
  event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_PROVIDER);
  event.mutable_enrol()->set_organisation(organisation);
  ASSIGN_OR_RETURN(std::string envelope,
                   fixture_->admin().SignNext(ledger::kKeyEventType,
                                              event.SerializeAsString()));
  RETURN_IF_ERROR(fixture_->AppendOne(envelope).status());
  providers_[name] =
      std::make_unique<ledger::EntrySigner>(std::move(key), origin(), 0);
  return absl::OkStatus();
}

absl::StatusOr<std::string> FactoryLog::EnrolKeyFile(
    aifl::ledger::v1::Role role, const std::string& organisation,
    const std::string& name, const std::string& tls_identity) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::SigningKey::Generate());
  const std::string path = fixture_->dir() + "/" + name + ".key";
  RETURN_IF_ERROR(ledger::crypto::WriteSecretKeyFile(path, *key));
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(std::string(key->public_key().bytes()));
  event.mutable_enrol()->set_role(role);
  event.mutable_enrol()->set_organisation(organisation);
  event.mutable_enrol()->set_tls_identity(tls_identity);
  ASSIGN_OR_RETURN(std::string envelope,
                   fixture_->admin().SignNext(ledger::kKeyEventType,
                                              event.SerializeAsString()));
  RETURN_IF_ERROR(fixture_->AppendOne(envelope).status());
  return path;
}

absl::StatusOr<uint64_t> FactoryLog::Append(
    ledger::EntrySigner& signer, const google::protobuf::Message& payload,
    absl::Time when) {
  fixture_->clock().Set(when);
  ASSIGN_OR_RETURN(std::string envelope,
                   signer.SignNext(payload.GetDescriptor()->full_name(),
                                   payload.SerializeAsString()));
  return fixture_->AppendOne(envelope);
}

absl::StatusOr<uint64_t> FactoryLog::Provider(
    const std::string& name, const google::protobuf::Message& payload,
    absl::Time when) {
  auto it = providers_.find(name);
  if (it == providers_.end()) {
    return absl::NotFoundError(
        absl::StrCat("provider ", name, " not enrolled"));
  }
  return Append(*it->second, payload, when);
}

absl::StatusOr<uint64_t> FactoryLog::Collector(
    const google::protobuf::Message& payload, absl::Time when) {
  return Append(*collector_, payload, when);
}

absl::StatusOr<uint64_t> FactoryLog::Run(const RunSpec& run) {
  aifl::collector::v1::RunStarted rs;
  rs.set_run_id(run.run_id);
  rs.set_model_id(run.model_id);
  rs.set_account(run.account);
  rs.set_node("node-1");
  rs.set_purpose(aifl::common::v1::PRE_TRAINING);
  rs.set_start_unix_ms(absl::ToUnixMillis(run.start));
  ASSIGN_OR_RETURN(const uint64_t started, Collector(rs, run.start));
  for (int i = 0; i < run.intervals; ++i) {
    const absl::Time from = run.start + absl::Hours(i);
    aifl::collector::v1::IntervalReport r;
    r.set_run_id(run.run_id);
    r.set_node("node-1");
    r.set_interval_index(i);
    r.set_start_unix_ms(absl::ToUnixMillis(from));
    r.set_end_unix_ms(absl::ToUnixMillis(from + absl::Hours(1)));
    r.set_gpu_count(8);
    r.set_gpu_seconds_allocated(8 * 3600);
    r.set_energy_joules(run.energy_joules / run.intervals);
    r.mutable_flop()->set_lower(run.flop / run.intervals);
    r.mutable_flop()->set_upper(run.flop / run.intervals);
    r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
    r.set_model_id(run.model_id);
    r.set_account(run.account);
    r.set_purpose(aifl::common::v1::PRE_TRAINING);
    RETURN_IF_ERROR(
        Collector(r, from + absl::Hours(1) + absl::Minutes(1)).status());
  }
  return started;
}

absl::StatusOr<std::vector<std::string>> FactoryLog::Leaves() {
  return ledger().GetLeaves(0, ledger().Size());
}

aifl::provider::v1::ModelDeclaration Declaration(const std::string& model_id,
                                                 const std::string& provider) {
  aifl::provider::v1::ModelDeclaration d =
      rules::testonly::Declaration(model_id);
  d.set_provider(provider);
  d.set_intends_eu_market(true);
  return d;
}

}  // namespace compliance::testonly
