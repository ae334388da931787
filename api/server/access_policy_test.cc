#include "api/server/access_policy.h"

#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(AccessPolicyTest, Matrix) {
  Caller auditor{TlsRole::kAuditor, "a", ""};
  EXPECT_TRUE(CheckMethodAllowed(auditor, Method::kGetEntries).ok());
  EXPECT_EQ(CheckMethodAllowed(auditor, Method::kSubmit).code(),
            absl::StatusCode::kPermissionDenied);
  Caller collector{TlsRole::kCollector, "n", ""};
  EXPECT_TRUE(CheckMethodAllowed(collector, Method::kSubmit).ok());
  EXPECT_TRUE(CheckMethodAllowed(collector, Method::kListCheckpoints).ok());
  EXPECT_TRUE(CheckMethodAllowed(auditor, Method::kListCheckpoints).ok());
  EXPECT_FALSE(CheckMethodAllowed(collector, Method::kListFindings).ok());
  EXPECT_FALSE(ReadsEverything(collector));
  Caller admin{TlsRole::kAdmin, "x", ""};
  EXPECT_TRUE(CheckMethodAllowed(admin, Method::kSubmitKeyEvent).ok());
  EXPECT_FALSE(CheckMethodAllowed(admin, Method::kGetEntries).ok());
  Caller local;
  EXPECT_TRUE(CheckMethodAllowed(local, Method::kSubmitKeyEvent).ok());
}

TEST(AccessPolicyTest, KeysMustBeBoundToTheCallerAndMatchItsRole) {
  Caller collector{TlsRole::kCollector, "node-1", ""};
  ledger::KeyInfo key;
  key.role = aifl::ledger::v1::ROLE_COLLECTOR;
  key.tls_identity = "node-1";
  EXPECT_TRUE(CheckMaySubmitWith(collector, key).ok());
  key.tls_identity = "node-2";
  EXPECT_EQ(CheckMaySubmitWith(collector, key).code(),
            absl::StatusCode::kPermissionDenied);
  key.tls_identity = "node-1";
  key.role = aifl::ledger::v1::ROLE_PROVIDER;
  EXPECT_EQ(CheckMaySubmitWith(collector, key).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, EverySubmitterMayAskForItsOwnKeysButNotAuditors) {
  for (TlsRole role :
       {TlsRole::kCollector, TlsRole::kProvider, TlsRole::kRules,
        TlsRole::kOffice, TlsRole::kAdmin, TlsRole::kLocalOperator}) {
    EXPECT_TRUE(
        CheckMethodAllowed(Caller{role, "x", ""}, Method::kGetOwnKeyState).ok())
        << TlsRoleName(role);
  }
  EXPECT_EQ(CheckMethodAllowed(Caller{TlsRole::kAuditor, "a", ""},
                               Method::kGetOwnKeyState)
                .code(),
            absl::StatusCode::kPermissionDenied);
  // The provider lists keys, filtered (KeyVisibleTo); the collector not.
  EXPECT_EQ(CheckMethodAllowed(Caller{TlsRole::kCollector, "c", ""},
                               Method::kListKeys)
                .code(),
            absl::StatusCode::kPermissionDenied);
}

ledger::KeyInfo KeyOf(uint8_t id, aifl::ledger::v1::Role role,
                      std::string identity) {
  std::array<uint8_t, ledger::crypto::kKeyIdSize> bytes{};
  bytes[0] = id;
  ledger::KeyInfo key;
  key.id = ledger::crypto::KeyId(bytes);
  key.role = role;
  key.tls_identity = std::move(identity);
  return key;
}

TEST(AccessPolicyTest, OwnKeysAreOnlyTheCallersKeys) {
  const std::vector<ledger::KeyInfo> all = {
      KeyOf(3, aifl::ledger::v1::ROLE_PROVIDER, "acme"),
      KeyOf(1, aifl::ledger::v1::ROLE_PROVIDER, "other"),
      KeyOf(2, aifl::ledger::v1::ROLE_ADMIN, "acme"),  // another role's key
      KeyOf(4, aifl::ledger::v1::ROLE_PROVIDER, "acme"),
  };
  Caller acme{TlsRole::kProvider, "acme", ""};
  auto every = OwnKeys(acme, {}, all);
  ASSERT_TRUE(every.ok()) << every.status();
  ASSERT_EQ(every->size(), 2u);
  EXPECT_EQ((*every)[0].id, all[0].id);  // ordered by key id: 3, then 4
  EXPECT_EQ((*every)[1].id, all[3].id);
  // Asking for another caller's key (or an unknown one) learns nothing.
  auto asked = OwnKeys(acme, {all[1].id, all[2].id, all[3].id}, all);
  ASSERT_TRUE(asked.ok()) << asked.status();
  ASSERT_EQ(asked->size(), 1u);
  EXPECT_EQ((*asked)[0].id, all[3].id);
  // An auditor owns no signing keys.
  auto auditor = OwnKeys(Caller{TlsRole::kAuditor, "acme", ""}, {}, all);
  ASSERT_TRUE(auditor.ok());
  EXPECT_TRUE(auditor->empty());
  // The local operator names its keys, and gets any of them.
  EXPECT_EQ(OwnKeys(Caller{}, {}, all).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto local = OwnKeys(Caller{}, {all[1].id, all[2].id}, all);
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(local->size(), 2u);
}

}  // namespace
}  // namespace api::server

namespace api::server {
namespace {

// The role matrix of api/README.md ("Roles"), row by row: every method for
// every role. Keep the two in step.
TEST(AccessPolicyTest, RoleMatrixMatchesTheReadme) {
  const std::vector<Method> all = {Method::kSubmit,
                                   Method::kGetProofReceipt,
                                   Method::kGetOwnKeyState,
                                   Method::kGetCheckpoint,
                                   Method::kListCheckpoints,
                                   Method::kGetEntries,
                                   Method::kGetInclusionProof,
                                   Method::kGetConsistencyProof,
                                   Method::kListModels,
                                   Method::kGetModel,
                                   Method::kListFindings,
                                   Method::kWatchFindings,
                                   Method::kGetLogKeys,
                                   Method::kGetModelEntries,
                                   Method::kSubmitKeyEvent,
                                   Method::kListKeys,
                                   Method::kGetStatus};
  const std::vector<Method> submitter = {
      Method::kSubmit,          Method::kGetProofReceipt,
      Method::kGetOwnKeyState,  Method::kGetCheckpoint,
      Method::kListCheckpoints, Method::kGetConsistencyProof,
      Method::kGetLogKeys};
  std::vector<Method> provider = submitter;
  for (Method m :
       {Method::kGetEntries, Method::kGetInclusionProof, Method::kListModels,
        Method::kGetModel, Method::kGetModelEntries, Method::kListFindings,
        Method::kWatchFindings, Method::kListKeys}) {
    provider.push_back(m);
  }
  const std::vector<Method> admin = {
      Method::kSubmitKeyEvent,      Method::kListKeys,
      Method::kGetStatus,           Method::kGetOwnKeyState,
      Method::kGetCheckpoint,       Method::kListCheckpoints,
      Method::kGetConsistencyProof, Method::kGetLogKeys};
  std::vector<Method> office, auditor;
  for (Method m : all) {
    if (m != Method::kSubmitKeyEvent) office.push_back(m);
    if (m != Method::kSubmitKeyEvent && m != Method::kSubmit &&
        m != Method::kGetOwnKeyState) {
      auditor.push_back(m);
    }
  }
  const std::vector<std::pair<TlsRole, std::vector<Method>>> rows = {
      {TlsRole::kCollector, submitter}, {TlsRole::kRules, submitter},
      {TlsRole::kProvider, provider},   {TlsRole::kAdmin, admin},
      {TlsRole::kOffice, office},       {TlsRole::kAuditor, auditor},
      {TlsRole::kLocalOperator, all}};
  for (const auto& [role, allowed] : rows) {
    for (Method m : all) {
      const bool want =
          std::find(allowed.begin(), allowed.end(), m) != allowed.end();
      EXPECT_EQ(CheckMethodAllowed(Caller{role, "x", ""}, m).ok(), want)
          << TlsRoleName(role) << " " << MethodName(m);
    }
  }
}

TEST(AccessPolicyTest, ProviderScopeIsItsKeysOrganisations) {
  ledger::KeyInfo a;
  a.role = aifl::ledger::v1::ROLE_PROVIDER;
  a.organisation = "Org A";
  a.tls_identity = "lab-a";
  ledger::KeyInfo a_collector = a;  // another role bound to the same CN
  a_collector.role = aifl::ledger::v1::ROLE_COLLECTOR;
  a_collector.organisation = "Org C";
  ledger::KeyInfo b = a;
  b.organisation = "Org B";
  b.tls_identity = "lab-b";
  ledger::KeyInfo bare = a;  // enrolled without an organisation
  bare.organisation.clear();
  bare.tls_identity = "lab-x";
  const std::vector<ledger::KeyInfo> keys = {a, a_collector, b, bare};

  ReadScope scope = ReadScopeOf(Caller{TlsRole::kProvider, "lab-a", ""}, keys);
  EXPECT_FALSE(scope.everything);
  EXPECT_EQ(scope.principals, std::vector<std::string>{"org:Org A"});
  scope = ReadScopeOf(Caller{TlsRole::kProvider, "lab-x", ""}, keys);
  EXPECT_EQ(scope.principals, std::vector<std::string>{"id:lab-x"});
  scope = ReadScopeOf(Caller{TlsRole::kProvider, "nobody", "Org A"}, keys);
  EXPECT_TRUE(scope.principals.empty()) << "the certificate's O is not read";
  scope = ReadScopeOf(Caller{TlsRole::kCollector, "lab-a", ""}, keys);
  EXPECT_FALSE(scope.everything);
  EXPECT_TRUE(scope.principals.empty());
  for (TlsRole role :
       {TlsRole::kOffice, TlsRole::kAuditor, TlsRole::kLocalOperator}) {
    EXPECT_TRUE(ReadScopeOf(Caller{role, "x", ""}, keys).everything);
  }
  // ListKeys: the factory's keys and its own provider keys, not B's.
  scope = ReadScopeOf(Caller{TlsRole::kProvider, "lab-a", ""}, keys);
  EXPECT_TRUE(KeyVisibleTo(scope, a));
  EXPECT_TRUE(KeyVisibleTo(scope, a_collector));
  EXPECT_FALSE(KeyVisibleTo(scope, b));
  EXPECT_FALSE(KeyVisibleTo(scope, bare));
  EXPECT_TRUE(KeyVisibleTo(ReadScope(), b));
}

}  // namespace
}  // namespace api::server
