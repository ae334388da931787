// The audit across a log-key rotation: every stored checkpoint verifies with
// the key for its size, the handover with the previous key too, and the
// stored history equals the replayed one. Tampering is reported by size.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/storage/store.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using ::testing::HasSubstr;
using testonly::LedgerFixture;

class AuditRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = std::move(*LedgerFixture::Create());
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok());
    collector_ = std::move(*collector);
    AppendAndPublish(5);
    new_key_path_ = f_->dir() + "/keys/next.key";
    ASSERT_TRUE(crypto::WriteSecretKeyFile(new_key_path_,
                                           **crypto::SigningKey::Generate())
                    .ok());
    auto new_key = crypto::ReadSecretKeyFile(new_key_path_);
    aifl::ledger::v1::KeyEvent event;
    event.mutable_log_key()->set_public_key(
        std::string((*new_key)->public_key().bytes()));
    event.mutable_log_key()->set_origin(f_->ledger().origin());
    auto envelope =
        f_->admin().SignNext(kKeyEventType, event.SerializeAsString());
    auto handover = f_->ledger().RotateLogKey(*envelope, std::move(*new_key),
                                              new_key_path_);
    ASSERT_TRUE(handover.ok()) << handover.status();
    auto body = note::ParseCheckpointBody(
        handover->substr(0, handover->find("\n\n") + 1));
    ASSERT_TRUE(body.ok()) << body.status();
    handover_size_ = body->size;
    AppendAndPublish(4);
    latest_size_ = f_->ledger().Size();
    origin_ = f_->ledger().origin();
    f_->Close();
  }

  void AppendAndPublish(int n) {
    for (int i = 0; i < n; ++i) {
      auto e = collector_->SignNext("aifl.collector.v1.IntervalReport",
                                    "p" + std::to_string(i));
      ASSERT_TRUE(f_->AppendOne(*e).ok());
      ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
    }
  }

  // A note over the body of the stored checkpoint at `size`, signed by the
  // key files given, in order.
  std::string Resign(uint64_t size, const std::vector<std::string>& keys) {
    auto store = storage::Store::Open(DbPath(f_->dir()),
                                      {storage::StoreOptions::Mode::kReadOnly});
    auto note = (*store)->Get(storage::Family::kMeta, keys::CheckpointAt(size));
    const std::string text = (*note)->substr(0, (*note)->find("\n\n") + 1);
    std::string out;
    for (const std::string& path : keys) {
      auto signer =
          note::NoteSigner::Create(origin_, *crypto::ReadSecretKeyFile(path));
      out += out.empty() ? *(*signer)->Sign(text)
                         : *(*signer)->SignatureLine(text);
    }
    return out;
  }

  void Store(const std::string& key, const std::string& value) {
    auto store = storage::Store::Open(
        DbPath(f_->dir()), {storage::StoreOptions::Mode::kOpenExisting});
    ASSERT_TRUE(store.ok());
    storage::Batch batch;
    batch.Put(storage::Family::kMeta, key, value);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }

  // Audits and expects a failure naming the checkpoint of `size` and `why`.
  void ExpectProblemAt(uint64_t size, const std::string& why) {
    AuditReport report = Audit();
    EXPECT_FALSE(report.ok);
    EXPECT_THAT(report.problem,
                HasSubstr(absl::StrCat("checkpoint of size ", size)));
    EXPECT_THAT(report.problem, HasSubstr(why));
  }

  AuditReport Audit() {
    auto report = AuditLedgerDir(f_->dir(), {});
    EXPECT_TRUE(report.ok()) << report.status();
    return *report;
  }

  std::unique_ptr<LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
  std::string new_key_path_;
  uint64_t handover_size_ = 0;
  uint64_t latest_size_ = 0;
  std::string origin_;
};

TEST_F(AuditRotationTest, PassesAcrossAnHonestRotation) {
  AuditReport report = Audit();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.latest_checkpoint_size, latest_size_);
}

TEST_F(AuditRotationTest, RefusesAHandoverWithoutThePreviousKey) {
  Store(keys::CheckpointAt(handover_size_),
        Resign(handover_size_, {new_key_path_}));
  ExpectProblemAt(handover_size_, "previous log key");
}

TEST_F(AuditRotationTest, RefusesALaterCheckpointSignedByTheRetiredKey) {
  const uint64_t size = handover_size_ + 2;
  Store(keys::CheckpointAt(size), Resign(size, {DefaultLogKeyPath(f_->dir())}));
  ExpectProblemAt(size, "no signature by the log key");
}

TEST_F(AuditRotationTest, RefusesAnOldCheckpointSignedByTheNewKey) {
  const uint64_t size = handover_size_ - 2;
  Store(keys::CheckpointAt(size), Resign(size, {new_key_path_}));
  ExpectProblemAt(size, "does not verify");
}

TEST_F(AuditRotationTest, RefusesATamperedStoredHistory) {
  // Claim the new key was announced one leaf earlier.
  auto key = crypto::ReadSecretKeyFile(new_key_path_);
  Store(keys::LogKeyAt(handover_size_ - 2),
        std::string((*key)->public_key().bytes()));
  AuditReport report = Audit();
  EXPECT_FALSE(report.ok);
}

}  // namespace
}  // namespace ledger
