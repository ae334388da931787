// Issue 14 item 6: derived state edited through RocksDB is caught when the
// ledger is opened for writing (kDataLoss), instead of a revoked key being
// allowed to append again or a rewritten leaf being served and signed over.
#include "ledger/derived_state_check.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/byte_io.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/ledger.h"
#include "ledger/roles.h"
#include "ledger/storage/store.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using storage::Family;

class DerivedStateCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = testonly::LedgerFixture::Create();
    ASSERT_TRUE(f.ok()) << f.status();
    f_ = std::move(*f);
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
    for (int i = 0; i < 300; ++i) {  // past one 256-leaf block
      ASSERT_TRUE(f_->AppendOne(*collector_->SignNext("aifl.collector.v1.Blob",
                                                      std::to_string(i)))
                      .ok());
    }
  }

  // Closes the ledger, lets `edit` change its RocksDB directly, and tries to
  // open it for writing again.
  absl::Status EditAndReopen(const std::function<void(storage::Store&)>& edit) {
    f_->Close();
    storage::StoreOptions options;
    options.mode = storage::StoreOptions::Mode::kOpenExisting;
    auto store = storage::Store::Open(DbPath(f_->dir()), options);
    EXPECT_TRUE(store.ok()) << store.status();
    edit(**store);
    store->reset();
    return f_->Reopen();
  }

  void Revoke() {
    aifl::ledger::v1::KeyEvent revoke;
    revoke.mutable_revoke()->set_key_id(std::string(
        reinterpret_cast<const char*>(collector_->key_id().bytes().data()),
        crypto::kKeyIdSize));
    ASSERT_TRUE(f_->AppendOne(*f_->admin().SignNext(kKeyEventType,
                                                    revoke.SerializeAsString()))
                    .ok());
  }

  std::unique_ptr<testonly::LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
};

TEST_F(DerivedStateCheckTest, UneditedLedgerOpens) {
  Revoke();
  EXPECT_TRUE(f_->Reopen().ok());
}

TEST_F(DerivedStateCheckTest, UnrevokingAKeyInTheKeysFamilyIsDataLoss) {
  Revoke();
  const std::string id = keys::KeyRecord(collector_->key_id());
  absl::Status reopened = EditAndReopen([&](storage::Store& store) {
    auto value = store.Get(Family::kKeys, id);
    ASSERT_TRUE(value.ok() && value->has_value());
    auto info = DecodeKeyInfo(**value);
    ASSERT_TRUE(info.ok());
    ASSERT_TRUE(info->revoked());
    info->revoked_at_leaf.reset();
    storage::Batch batch;
    batch.Put(Family::kKeys, id, EncodeKeyInfo(*info));
    ASSERT_TRUE(store.Write(&batch).ok());
  });
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
  EXPECT_NE(reopened.message().find("key registry"), std::string::npos);
}

TEST_F(DerivedStateCheckTest, ForgedKeyRecordIsDataLoss) {
  absl::Status reopened = EditAndReopen([&](storage::Store& store) {
    KeyInfo forged;
    auto key = crypto::SigningKey::Generate().value();
    forged.public_key = key->public_key();
    forged.id = crypto::ComputeKeyId(key->public_key());
    forged.role = aifl::ledger::v1::ROLE_ADMIN;
    storage::Batch batch;
    batch.Put(Family::kKeys, keys::KeyRecord(forged.id), EncodeKeyInfo(forged));
    ASSERT_TRUE(store.Write(&batch).ok());
  });
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
}

TEST_F(DerivedStateCheckTest, RewrittenNewestLeafIsDataLoss) {
  const uint64_t last = f_->ledger().Size() - 1;
  absl::Status reopened = EditAndReopen([&](storage::Store& store) {
    auto value = store.Get(Family::kLeaves, keys::Leaf(last));
    ASSERT_TRUE(value.ok() && value->has_value());
    std::string leaf = **value;
    // The payload's last byte (a digit): the leaf still parses, only its
    // hash changes.
    leaf[leaf.size() - 65] ^= 1;
    storage::Batch batch;
    batch.Put(Family::kLeaves, keys::Leaf(last), leaf);
    ASSERT_TRUE(store.Write(&batch).ok());
  });
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
  EXPECT_NE(reopened.message().find(absl::StrCat("leaf ", last)),
            std::string::npos)
      << reopened;
}

// The replay admits each leaf by the one admission rule (admission.h), not
// only folds its key events: an old leaf rewritten to a payload type its
// signer's role may not sign leaves the registry as it was, but is refused.
TEST_F(DerivedStateCheckTest, InadmissibleOldLeafIsDataLoss) {
  std::vector<std::string> more;
  for (int i = 0; i < 600; ++i) {  // push leaf 5 out of the rehashed newest
    more.push_back(
        *collector_->SignNext("aifl.collector.v1.Blob", absl::StrCat("m", i)));
  }
  for (const AppendResult& r : f_->ledger().Append(more))
    ASSERT_TRUE(r.status.ok()) << r.status;
  const uint64_t target = 5;  // a collector Blob
  absl::Status reopened = EditAndReopen([&](storage::Store& store) {
    auto value = store.Get(Family::kLeaves, keys::Leaf(target));
    ASSERT_TRUE(value.ok() && value->has_value());
    auto leaf = entry::ParseLeaf(**value);
    ASSERT_TRUE(leaf.ok());
    auto envelope = entry::ParseEnvelope(leaf->envelope);
    ASSERT_TRUE(envelope.ok());
    envelope->payload_type = "aifl.office.v1.Blob";  // not a collector's
    auto bytes = entry::EncodeEnvelope(*envelope);
    ASSERT_TRUE(bytes.ok());
    storage::Batch batch;
    batch.Put(Family::kLeaves, keys::Leaf(target),
              entry::EncodeLeaf(leaf->integration_time_micros, *bytes));
    ASSERT_TRUE(store.Write(&batch).ok());
  });
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
  EXPECT_NE(reopened.message().find(absl::StrCat("leaf ", target, ":")),
            std::string::npos)
      << reopened;
}

TEST_F(DerivedStateCheckTest, EditedLedgerStillOpensReadOnlyForAudit) {
  Revoke();
  f_->Close();
  {
    storage::StoreOptions options;
    options.mode = storage::StoreOptions::Mode::kOpenExisting;
    auto store = storage::Store::Open(DbPath(f_->dir()), options);
    ASSERT_TRUE(store.ok());
    storage::Batch batch;
    batch.Delete(Family::kKeys, keys::KeyRecord(collector_->key_id()));
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  LedgerOptions options;
  options.dir = f_->dir();
  options.read_only = true;
  EXPECT_TRUE(Ledger::Open(options).ok());
}

}  // namespace
}  // namespace ledger
