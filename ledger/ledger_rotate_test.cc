// Log-key rotation: the handover checkpoint, refusals, reopening with either
// key, and finishing a rotation interrupted between its two steps.
#include <sys/stat.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger.h"
#include "ledger/signed_state.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using ::testing::HasSubstr;
using testonly::LedgerFixture;

class LedgerRotateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok());
    collector_ = std::move(*collector);
    AppendSome(3);
    old_key_ = f_->ledger().log_public_key();
    new_key_path_ = f_->dir() + "/keys/next.key";
    auto key = crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    ASSERT_TRUE(crypto::WriteSecretKeyFile(new_key_path_, **key).ok());
    new_key_ = (*key)->public_key();
  }

  void AppendSome(int n) {
    for (int i = 0; i < n; ++i) {
      auto envelope = collector_->SignNext("aifl.collector.v1.IntervalReport",
                                           "p" + std::to_string(i));
      ASSERT_TRUE(f_->AppendOne(*envelope).ok());
    }
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  }

  std::string Announce(const crypto::PublicKey& key) {
    aifl::ledger::v1::KeyEvent event;
    event.mutable_log_key()->set_public_key(std::string(key.bytes()));
    event.mutable_log_key()->set_origin(f_->ledger().origin());
    // Refused events use no sequence number: take the ledger's.
    f_->admin().set_next_sequence(
        f_->ledger().FindKey(f_->admin().key_id())->next_sequence);
    auto envelope =
        f_->admin().SignNext(kKeyEventType, event.SerializeAsString());
    EXPECT_TRUE(envelope.ok());
    return *envelope;
  }

  absl::StatusOr<std::string> Rotate(const std::string& envelope,
                                     const std::string& key_path) {
    auto key = crypto::ReadSecretKeyFile(new_key_path_);
    if (!key.ok()) return key.status();
    return f_->ledger().RotateLogKey(envelope, std::move(*key), key_path);
  }

  absl::StatusOr<std::unique_ptr<Ledger>> OpenWithKey(const std::string& path) {
    f_->Close();
    LedgerOptions options;
    options.dir = f_->dir();
    options.clock = &f_->clock();
    options.log_key_path = path;
    return Ledger::Open(options);
  }

  std::unique_ptr<LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
  std::optional<crypto::PublicKey> old_key_;
  std::optional<crypto::PublicKey> new_key_;
  std::string new_key_path_;
};

TEST_F(LedgerRotateTest, HandoverIsSignedByTheOldKeyThenTheNew) {
  const uint64_t announce_leaf = f_->ledger().Size();
  auto handover = Rotate(Announce(*new_key_), new_key_path_);
  ASSERT_TRUE(handover.ok()) << handover.status();
  const std::string origin = f_->ledger().origin();
  auto by_old = VerifyCheckpoint(*handover, origin, *old_key_);
  auto by_new = VerifyCheckpoint(*handover, origin, *new_key_);
  ASSERT_TRUE(by_old.ok()) << by_old.status();
  ASSERT_TRUE(by_new.ok()) << by_new.status();
  EXPECT_EQ(by_old->size, announce_leaf + 1);
  EXPECT_EQ(*f_->ledger().CheckpointAt(by_old->size), *handover);
  // Body (3 lines), an empty line, two signature lines: the old key's first.
  EXPECT_EQ(std::count(handover->begin(), handover->end(), '\n'), 6);
  const size_t old_line =
      handover->find(absl::StrCat("\xe2\x80\x94 ", origin, " "));
  ASSERT_NE(old_line, std::string::npos);
  auto old_only =
      VerifyCheckpoint(handover->substr(0, handover->find('\n', old_line) + 1),
                       origin, *old_key_);
  EXPECT_TRUE(old_only.ok()) << old_only.status();

  auto history = f_->ledger().LogKeys();
  ASSERT_EQ(history.epochs().size(), 2u);
  EXPECT_EQ(history.epochs()[0].announced_at_leaf, 1u);
  EXPECT_EQ(history.epochs()[1].announced_at_leaf, announce_leaf);
  EXPECT_EQ(f_->ledger().log_public_key(), *new_key_);
  EXPECT_EQ(f_->ledger().VerifierKey(), LogVerifierKey(origin, *new_key_));

  // Both keys' signed states record the handover.
  for (const std::string& key_path :
       {DefaultLogKeyPath(f_->dir()), new_key_path_}) {
    auto state = ReadSignedState(SignedStatePath(key_path));
    ASSERT_TRUE(state.ok() && state->has_value());
    EXPECT_EQ((*state)->size, by_old->size);
  }
  // Later checkpoints carry only the new key's signature.
  AppendSome(2);
  auto later = f_->ledger().LatestCheckpoint();
  EXPECT_TRUE(VerifyCheckpoint(*later, origin, *new_key_).ok());
  EXPECT_FALSE(VerifyCheckpoint(*later, origin, *old_key_).ok());
  EXPECT_TRUE(f_->ledger().VerifyCheckpointNote(*later).ok());
  auto state = ReadSignedState(SignedStatePath(DefaultLogKeyPath(f_->dir())));
  EXPECT_EQ((*state)->size, by_old->size);  // the old key signed no more
}

TEST_F(LedgerRotateTest, AppendingANewLogKeyIsRefusedAsOffline) {
  const uint64_t size = f_->ledger().Size();
  auto refused = f_->AppendOne(Announce(*new_key_));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("stop the server and run `ledgerctl rotate-log-key`"));
  EXPECT_EQ(f_->ledger().Size(), size);
}

TEST_F(LedgerRotateTest, RefusesTheCurrentAFormerAndAnEnrolledKey) {
  // The current key.
  auto current = f_->AppendOne(Announce(*old_key_));
  EXPECT_EQ(current.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(current.status().message()),
              HasSubstr("already the current log key"));
  // An enrolled signing key.
  auto enrolled = f_->AppendOne(Announce(collector_->public_key()));
  EXPECT_EQ(enrolled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(enrolled.status().message()),
              HasSubstr("enrolled as a signing key"));
  // A former log key, after a rotation.
  ASSERT_TRUE(Rotate(Announce(*new_key_), new_key_path_).ok());
  auto former = f_->AppendOne(Announce(*old_key_));
  EXPECT_EQ(former.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(former.status().message()),
              HasSubstr("never re-used"));
}

TEST_F(LedgerRotateTest, ReopensWithTheNewKeyAndReadsWithTheOld) {
  ASSERT_TRUE(Rotate(Announce(*new_key_), new_key_path_).ok());
  AppendSome(1);
  const std::string latest = *f_->ledger().LatestCheckpoint();
  {
    auto ledger = OpenWithKey(new_key_path_);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    EXPECT_EQ((*ledger)->LogKeys().epochs().size(), 2u);
    EXPECT_EQ(*(*ledger)->LatestCheckpoint(), latest);
    EXPECT_TRUE((*ledger)->CheckCanPublish().ok());
  }
  auto old = OpenWithKey(DefaultLogKeyPath(f_->dir()));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_TRUE((*old)->GetLeaf(0).ok());
  EXPECT_EQ(*(*old)->LatestCheckpoint(), latest);
  auto more = collector_->SignNext("aifl.collector.v1.IntervalReport", "x");
  ASSERT_TRUE((*old)->Append({*more})[0].status.ok());
  auto refused = (*old)->PublishCheckpoint();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr(DescribeLogKey((*old)->origin(), *old_key_)));
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr(DescribeLogKey((*old)->origin(), *new_key_)));
}

TEST_F(LedgerRotateTest, RefusesAnEnvelopeForAnotherKeyAndARetiredSigner) {
  auto other = crypto::SigningKey::Generate();
  ASSERT_TRUE(other.ok());
  auto wrong = Rotate(Announce((*other)->public_key()), new_key_path_);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(wrong.status().message()),
              HasSubstr("does not announce the new log key"));
  ASSERT_TRUE(Rotate(Announce(*new_key_), new_key_path_).ok());
  // Opened with the retired key, the ledger cannot start another rotation.
  auto old = OpenWithKey(DefaultLogKeyPath(f_->dir()));
  ASSERT_TRUE(old.ok()) << old.status();
  const std::string third_path = f_->dir() + "/keys/third.key";
  ASSERT_TRUE(crypto::WriteSecretKeyFile(third_path, **other).ok());
  aifl::ledger::v1::KeyEvent event;
  event.mutable_log_key()->set_public_key(
      std::string((*other)->public_key().bytes()));
  event.mutable_log_key()->set_origin((*old)->origin());
  auto envelope =
      f_->admin().SignAt((*old)->FindKey(f_->admin().key_id())->next_sequence,
                         kKeyEventType, event.SerializeAsString());
  auto refused = (*old)->RotateLogKey(
      *envelope, *crypto::ReadSecretKeyFile(third_path), third_path);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("is not the current log key"));
}

TEST_F(LedgerRotateTest, ARerunFinishesARotationInterruptedBeforeTheHandover) {
  const uint64_t announce_leaf = f_->ledger().Size();
  // The handover cannot record the new key's signed state (its folder is
  // missing): the LogKey is durable but no handover exists, as after a crash.
  auto failed = Rotate(Announce(*new_key_), f_->dir() + "/missing/next.key");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(f_->ledger().Size(), announce_leaf + 1);
  EXPECT_EQ(f_->ledger().log_public_key(), *new_key_);
  ASSERT_TRUE(f_->Reopen().ok());  // a restart with the old key
  auto refused = f_->ledger().PublishCheckpoint();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("half done"));
  // The re-run appends nothing and publishes the handover.
  auto handover = Rotate("", new_key_path_);
  ASSERT_TRUE(handover.ok()) << handover.status();
  EXPECT_EQ(f_->ledger().Size(), announce_leaf + 1);
  EXPECT_TRUE(f_->ledger()
                  .LogKeys()
                  .VerifyCheckpoint(*handover, f_->ledger().origin(), true)
                  .ok());
  // Running it once more changes nothing.
  auto again = Rotate("", new_key_path_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *handover);
}

TEST_F(LedgerRotateTest, ReadsLedgersWrittenBeforeTheHistoryWasStored) {
  f_->Close();
  {
    auto store = storage::Store::Open(
        DbPath(f_->dir()), {storage::StoreOptions::Mode::kOpenExisting});
    ASSERT_TRUE(store.ok());
    storage::Batch batch;
    batch.Delete(storage::Family::kMeta, keys::LogKeyAt(1));
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  ASSERT_TRUE(f_->Reopen().ok());
  auto history = f_->ledger().LogKeys();
  ASSERT_EQ(history.epochs().size(), 1u);
  EXPECT_EQ(history.epochs()[0].announced_at_leaf, 1u);
  EXPECT_EQ(history.epochs()[0].key, *old_key_);
  auto handover = Rotate(Announce(*new_key_), new_key_path_);
  ASSERT_TRUE(handover.ok()) << handover.status();
}

}  // namespace
}  // namespace ledger
