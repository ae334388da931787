// The monitor's witness: the tlog-witness add-checkpoint of witness/ with
// the extra condition that the monitor fully verified the checkpoint.
#include "office/monitor_witness.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "api/client/curl_http_getter.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/log_follower.h"
#include "office/testonly/hostile_log.h"
#include "witness/trusted_logs.h"
#include "witness/witness_store.h"

namespace office {
namespace {

TEST(MonitorWitnessTest, CosignsOnlyWhatItFullyVerified) {
  auto log = testonly::HostileLog::Create();
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Grow(300).ok());
  ASSERT_TRUE((*log)->ServeLedger().ok());
  auto mirror = Mirror::Open(ledger::testonly::FreshDir("mirror"));
  ASSERT_TRUE(mirror.ok());
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  FollowedLog config{(*log)->origin(), (*log)->vkey(), (*log)->url(), "", {}};
  auto f = LogFollower::Create(config, mirror->get(),
                               *api::client::CurlHttpGetter::Create(), &clock);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Step().ok());
  const std::string verified_note = (*log)->note();

  auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, '\x09'));
  const ledger::crypto::PublicKey public_key = (*key)->public_key();
  auto cosigner =
      ledger::note::Cosigner::Create("office.example/monitor", std::move(*key));
  auto logs = witness::TrustedLogs::Parse(absl::StrCat("log ", (*log)->vkey()));
  ASSERT_TRUE(logs.ok());
  auto store =
      witness::WitnessStore::Open(ledger::testonly::FreshDir("witness"));
  ASSERT_TRUE(store.ok());
  auto w = witness::Witness::Create(std::move(*cosigner), std::move(*logs),
                                    store->get(), &clock,
                                    VerifiedUpToSize(mirror->get()));
  ASSERT_TRUE(w.ok()) << w.status();

  // A larger checkpoint, validly signed and consistent, but not verified by
  // the monitor yet: refused, nothing stored.
  ASSERT_TRUE((*log)->Grow(10).ok());
  ASSERT_TRUE((*log)->ServeLedger().ok());
  witness::WitnessResponse early =
      (*w)->AddCheckpoint(absl::StrCat("old 0\n\n", (*log)->note()));
  EXPECT_EQ(early.status, 503) << early.body;
  EXPECT_TRUE(absl::StrContains(early.body, "not verified by the monitor"));

  // The verified one: cosigned, and the line verifies.
  witness::WitnessResponse ok =
      (*w)->AddCheckpoint(absl::StrCat("old 0\n\n", verified_note));
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string prefix = "\xe2\x80\x94 office.example/monitor ";
  ASSERT_TRUE(absl::StartsWith(ok.body, prefix)) << ok.body;
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(
      absl::StripSuffix(absl::string_view(ok.body).substr(prefix.size()), "\n"),
      &raw));
  auto verifier = ledger::note::CosignatureVerifier::Create(
      "office.example/monitor", public_key);
  const std::string body =
      verified_note.substr(0, verified_note.find("\n\n") + 1);
  EXPECT_TRUE(verifier->Verify(body, raw.substr(4)).ok());

  // Once the log is stopped, nothing more is cosigned for it.
  ASSERT_TRUE((*log)->ServeLedger(5).ok());  // a rollback
  auto step = (*f)->Step();
  ASSERT_TRUE(step.ok() && step->incident.has_value());
  witness::WitnessResponse after = (*w)->AddCheckpoint(
      absl::StrCat("old ", (*f)->verified_size(), "\n\n", verified_note));
  EXPECT_EQ(after.status, 503) << after.body;
  EXPECT_TRUE(absl::StrContains(after.body, "stopped following"));
}

}  // namespace
}  // namespace office
