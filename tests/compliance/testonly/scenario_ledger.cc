#include "tests/compliance/testonly/scenario_ledger.h"

#include <utility>

#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/roles.h"
#include "rules/deadline.h"
#include "rules/testonly/ledger_builder.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"

namespace compliance_test {
namespace {

namespace provider = aifl::provider::v1;
using ledger::EntrySigner;

absl::StatusOr<uint64_t> Append(ledger::testonly::LedgerFixture& f,
                                EntrySigner& signer,
                                const google::protobuf::Message& msg) {
  ASSIGN_OR_RETURN(std::string envelope,
                   signer.SignNext(msg.GetDescriptor()->full_name(),
                                   msg.SerializeAsString()));
  return f.AppendOne(envelope);
}

provider::ModelDeclaration Declared(const std::string& id, double flop) {
  provider::ModelDeclaration d = rules::testonly::Declaration(id);
  rules::testonly::DeclareCompute(&d, flop);
  return d;
}

}  // namespace

absl::Time Brussels(int y, int m, int d, int hh) {
  return rules::testonly::At(y, m, d, hh);
}

absl::StatusOr<ScenarioLedger> BuildScenarioLedger() {
  ScenarioLedger s;
  ASSIGN_OR_RETURN(s.fixture, ledger::testonly::LedgerFixture::Create());
  ledger::testonly::LedgerFixture& f = *s.fixture;
  ASSIGN_OR_RETURN(
      auto provider_key,
      f.EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER, "Provider SA"));
  ASSIGN_OR_RETURN(auto collector_key,
                   f.EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "Factory"));
  ASSIGN_OR_RETURN(auto office_key,
                   f.EnrolNewKey(aifl::ledger::v1::ROLE_OFFICE, "AI Office"));
  (void)office_key;  // enrolled like in production; no office entries here

  // The rules key, with its secret key file (compliance_check --rules_key).
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> rules_key,
                   ledger::crypto::SigningKey::Generate());
  s.rules_key_path = f.dir() + "/rules.key";
  RETURN_IF_ERROR(
      ledger::crypto::WriteSecretKeyFile(s.rules_key_path, *rules_key));
  aifl::ledger::v1::KeyEvent enrol;
  enrol.mutable_enrol()->set_public_key(
      std::string(rules_key->public_key().bytes()));
  enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_RULES);
  enrol.mutable_enrol()->set_organisation("Rules engine");
  ASSIGN_OR_RETURN(
      std::string envelope,
      f.admin().SignNext(ledger::kKeyEventType, enrol.SerializeAsString()));
  RETURN_IF_ERROR(f.AppendOne(envelope).status());

  f.clock().Set(Brussels(2026, 6, 1, 10));
  provider::ModelDeclaration small = Declared("small", 1.2e23);
  rules::testonly::PlaceOnMarket(&small, Brussels(2026, 6, 1, 9));
  ASSIGN_OR_RETURN(s.small_declaration, Append(f, *provider_key, small));
  ASSIGN_OR_RETURN(s.small_interval,
                   Append(f, *collector_key,
                          rules::testonly::Interval("small", 1.1e23, 1.3e23)));
  for (auto kind :
       {provider::ANNEX_XII_DOWNSTREAM_INFORMATION, provider::COPYRIGHT_POLICY,
        provider::TRAINING_CONTENT_SUMMARY}) {
    RETURN_IF_ERROR(
        Append(f, *provider_key, rules::testonly::Document("small", kind))
            .status());
  }
  provider::ModelDeclaration big = Declared("big", 2e25);
  big.set_intends_eu_market(true);
  ASSIGN_OR_RETURN(s.big_declaration, Append(f, *provider_key, big));
  ASSIGN_OR_RETURN(s.big_interval,
                   Append(f, *collector_key,
                          rules::testonly::Interval("big", 1.8e25, 2.2e25)));
  ASSIGN_OR_RETURN(s.clean_declaration,
                   Append(f, *provider_key, Declared("clean", 5e22)));
  RETURN_IF_ERROR(Append(f, *collector_key,
                         rules::testonly::Interval("clean", 4.5e22, 5.5e22))
                      .status());

  f.clock().Set(Brussels(2026, 6, 20, 10));
  ASSIGN_OR_RETURN(
      s.big_notification,
      Append(f, *provider_key, rules::testonly::Notification("big", 2e25)));
  RETURN_IF_ERROR(f.ledger().PublishCheckpoint().status());
  return s;
}

}  // namespace compliance_test
