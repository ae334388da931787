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

}  // namespace
}  // namespace api::server
