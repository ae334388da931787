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
  // The provider still may not list everyone's keys.
  EXPECT_EQ(
      CheckMethodAllowed(Caller{TlsRole::kProvider, "p", ""}, Method::kListKeys)
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
