// Rotating a ledger folder's log key, including a crash before every durable
// step followed by a re-run.
#include "ledger/log_key_rotation.h"

#include "absl/strings/str_format.h"
#include "common/durable_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger.h"
#include "ledger/note/signed_note.h"
#include "ledger/signed_state.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using ::testing::HasSubstr;
using testonly::LedgerFixture;

class LogKeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = std::move(*LedgerFixture::Create());
    dir_ = f_->dir();
    old_key_ = f_->ledger().log_public_key();
    f_->Close();
    new_key_path_ = dir_ + "/new.key";
    auto key = crypto::SigningKey::Generate();
    ASSERT_TRUE(crypto::WriteSecretKeyFile(new_key_path_, **key).ok());
    new_key_ = (*key)->public_key();
  }

  LogKeyRotationOptions Options() {
    LogKeyRotationOptions options;
    options.dir = dir_;
    options.new_key_path = new_key_path_;
    options.clock = &f_->clock();
    return options;
  }

  // After a completed rotation: the default key is the new one, the ledger
  // opens and publishes with it, the old key is retired, and it audits.
  void ExpectRotated(uint64_t announced_at_leaf) {
    auto installed = crypto::ReadSecretKeyFile(DefaultLogKeyPath(dir_));
    ASSERT_TRUE(installed.ok());
    EXPECT_EQ((*installed)->public_key(), *new_key_);
    EXPECT_FALSE(common::PathExists(NextLogKeyPath(dir_)));
    ASSERT_TRUE(f_->Reopen().ok());
    EXPECT_TRUE(f_->ledger().CheckCanPublish().ok());
    auto history = f_->ledger().LogKeys();
    ASSERT_EQ(history.epochs().size(), 2u);
    EXPECT_EQ(history.current().announced_at_leaf, announced_at_leaf);
    auto handover = f_->ledger().FirstCheckpointAfter(announced_at_leaf);
    ASSERT_TRUE(handover.ok() && handover->has_value());
    // Both keys' signed states end at the handover.
    auto new_state = ReadSignedState(SignedStatePath(DefaultLogKeyPath(dir_)));
    ASSERT_TRUE(new_state.ok() && new_state->has_value());
    EXPECT_EQ((*new_state)->size, **handover);
    const std::string retired =
        absl::StrFormat("%s.retired-%08x", DefaultLogKeyPath(dir_),
                        note::NoteKeyId(f_->ledger().origin(), *old_key_));
    auto old_state = ReadSignedState(SignedStatePath(retired));
    ASSERT_TRUE(old_state.ok() && old_state->has_value());
    EXPECT_EQ((*old_state)->size, **handover);
    auto old_key = crypto::ReadSecretKeyFile(retired);
    ASSERT_TRUE(old_key.ok());
    EXPECT_EQ((*old_key)->public_key(), *old_key_);
    f_->Close();
    auto report = AuditLedgerDir(dir_, {});
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok) << report->problem;
  }

  std::unique_ptr<LedgerFixture> f_;
  std::string dir_;
  std::string new_key_path_;
  std::optional<crypto::PublicKey> old_key_;
  std::optional<crypto::PublicKey> new_key_;
};

TEST_F(LogKeyRotationTest, RotatesAndInstallsTheNewKey) {
  auto result = RotateLedgerLogKey(Options());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->announced_at_leaf, 2u);
  EXPECT_THAT(result->verifier_key, HasSubstr("test.example/ledger+"));
  ExpectRotated(2);
  // Running it again changes nothing.
  auto again = RotateLedgerLogKey(Options());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->handover_note, result->handover_note);
  ExpectRotated(2);
}

TEST_F(LogKeyRotationTest, ARerunCompletesAfterACrashBeforeAnyStep) {
  for (const char* crash_at :
       {"stage", "announce", "retire", "install_state", "install_key"}) {
    SCOPED_TRACE(crash_at);
    SetUp();  // a fresh ledger and key for each crash point
    LogKeyRotationOptions crashing = Options();
    crashing.before_step = [&](absl::string_view step) {
      return step == crash_at ? absl::AbortedError("crash") : absl::OkStatus();
    };
    auto crashed = RotateLedgerLogKey(crashing);
    ASSERT_EQ(crashed.status().code(), absl::StatusCode::kAborted);
    auto rerun = RotateLedgerLogKey(Options());
    ASSERT_TRUE(rerun.ok()) << rerun.status();
    ExpectRotated(2);
  }
}

TEST_F(LogKeyRotationTest, RefusesWhileAnotherRotationIsStaged) {
  auto other = crypto::SigningKey::Generate();
  ASSERT_TRUE(crypto::WriteSecretKeyFile(NextLogKeyPath(dir_), **other).ok());
  auto refused = RotateLedgerLogKey(Options());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("finish it with"));
}

TEST_F(LogKeyRotationTest, RefusesAnEnrolledSigningKeyAndChangesNothing) {
  auto refused_key = RotateLedgerLogKey([&] {
    LogKeyRotationOptions o = Options();
    o.new_key_path = DefaultAdminKeyPath(dir_);
    return o;
  }());
  EXPECT_EQ(refused_key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(common::PathExists(NextLogKeyPath(dir_)));
  ASSERT_TRUE(f_->Reopen().ok());
  EXPECT_EQ(f_->ledger().Size(), 2u);
  EXPECT_EQ(f_->ledger().log_public_key(), *old_key_);
}

}  // namespace
}  // namespace ledger
