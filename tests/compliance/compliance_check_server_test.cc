// compliance_check --server: through a real ledger server over loopback gRPC,
// the findings re-derived from verified entries equal those from the ledger
// folder; a wrong verifier key and a rolled-back server are refused.
#include <memory>
#include <sstream>
#include <string>

#include "api/server/ledger_server.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "tests/compliance/testonly/scenario_ledger.h"
#include "tools/compliance_check/compliance_check.h"

namespace compliance_check {
namespace {

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";

class ComplianceCheckServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = compliance_test::BuildScenarioLedger();
    ASSERT_TRUE(s.ok()) << s.status();
    scenario_ =
        std::make_unique<compliance_test::ScenarioLedger>(std::move(*s));
    ASSERT_TRUE(scenario_->fixture->ledger().PublishCheckpoint().ok());
    api::server::ServerOptions options;
    options.insecure_loopback = true;
    auto server = api::server::LedgerServer::Start(
        &scenario_->fixture->ledger(), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(absl::Seconds(1)).IgnoreError();
  }

  Options Local() {
    Options o;
    o.dir = scenario_->fixture->dir();
    o.now = compliance_test::Brussels(2026, 7, 1);
    o.pack_path = kPack;
    return o;
  }
  Options Remote() {
    Options o = Local();
    o.dir.clear();
    o.server = "127.0.0.1:" + std::to_string(server_->port());
    o.vkey = scenario_->fixture->ledger().VerifierKey();
    return o;
  }

  std::unique_ptr<compliance_test::ScenarioLedger> scenario_;
  std::unique_ptr<api::server::LedgerServer> server_;
};

std::string Rules(const CheckResult& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += f.model_id() + ":" + f.rule_id() + " ";
  return out;
}

TEST_F(ComplianceCheckServerTest, SameFindingsAsTheLedgerFolder) {
  auto remote = Check(Remote());
  ASSERT_TRUE(remote.ok()) << remote.status();
  server_->Shutdown(absl::Seconds(1)).IgnoreError();
  auto local = Check(Local());
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_FALSE(remote->findings.empty());
  EXPECT_EQ(Rules(*remote), Rules(*local));
  EXPECT_EQ(remote->entries_evaluated, local->entries_evaluated);
  for (size_t i = 0; i < remote->findings.size(); ++i) {
    EXPECT_EQ(remote->findings[i].SerializeAsString(),
              local->findings[i].SerializeAsString());
  }
}

TEST_F(ComplianceCheckServerTest, RefusesAWrongVerifierKey) {
  Options o = Remote();
  o.vkey = "test.example/ledger+01020304+AQ" + std::string(42, 'A') + "=";
  std::ostringstream out, err;
  EXPECT_EQ(compliance_check::Run(o, out, err), kExitError);
  EXPECT_FALSE(err.str().empty());
}

TEST_F(ComplianceCheckServerTest, UsageErrors) {
  Options o = Remote();
  o.vkey.clear();
  EXPECT_FALSE(Check(o).ok());
  o = Remote();
  o.record = true;
  EXPECT_FALSE(Check(o).ok());
}

}  // namespace
}  // namespace compliance_check
