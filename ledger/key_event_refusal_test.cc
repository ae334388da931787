// A key event the registry refuses (here: enrolling a key enrolled before)
// is answered with the registry's own error through Ledger::Append, on a
// real RocksDB ledger, and changes nothing: not the log, not the stored key
// records, not the admin's sequence numbers. It used to be mistaken for a
// retry under a used sequence number (both are kAlreadyExists) and answered
// with a kDataLoss about an unreadable leaf.
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using aifl::ledger::v1::ROLE_COLLECTOR;
using testonly::LedgerFixture;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

std::string EnrolEvent(const crypto::PublicKey& key) {
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(std::string(key.bytes()));
  event.mutable_enrol()->set_role(ROLE_COLLECTOR);
  return event.SerializeAsString();
}

std::string AlreadyEnrolled(const crypto::KeyId& id) {
  return absl::StrCat("key ", id.ToString(),
                      " is already enrolled (keys are never re-used)");
}

class KeyEventRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
  }

  // Enrols a fresh collector key with the admin's entry at `sequence`.
  absl::StatusOr<uint64_t> EnrolFreshKeyAt(uint64_t sequence) {
    auto key = crypto::SigningKey::Generate();
    if (!key.ok()) return key.status();
    auto envelope = f_->admin().SignAt(sequence, kKeyEventType,
                                       EnrolEvent((*key)->public_key()));
    if (!envelope.ok()) return envelope.status();
    return f_->AppendOne(*envelope);
  }

  std::unique_ptr<LedgerFixture> f_;
};

TEST_F(KeyEventRefusalTest, EnrollingAnEnrolledKeyIsAlreadyExistsAndKeepsAll) {
  auto collector = f_->EnrolNewKey(ROLE_COLLECTOR, "factory", "node-1");
  ASSERT_TRUE(collector.ok()) << collector.status();
  const crypto::KeyId& id = (*collector)->key_id();
  const uint64_t size = f_->ledger().Size();
  const uint64_t admin_next = f_->admin().next_sequence();
  const std::optional<KeyInfo> before = f_->ledger().FindKey(id);
  ASSERT_TRUE(before.has_value());

  const std::string again = *f_->admin().SignAt(
      admin_next, kKeyEventType, EnrolEvent((*collector)->public_key()));
  // Refused twice the same way: the first refusal recorded nothing that
  // would make the second look like a retry.
  for (int attempt = 0; attempt < 2; ++attempt) {
    AppendResult result = f_->ledger().Append({again})[0];
    EXPECT_EQ(result.status.code(), absl::StatusCode::kAlreadyExists)
        << result.status;
    EXPECT_EQ(result.status.message(), AlreadyEnrolled(id));
    EXPECT_FALSE(result.duplicate);
  }
  EXPECT_EQ(f_->ledger().Size(), size);
  const std::optional<KeyInfo> after = f_->ledger().FindKey(id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(EncodeKeyInfo(*after), EncodeKeyInfo(*before));

  // The admin's sequence number was not consumed; both keys go on working.
  auto enrolled = EnrolFreshKeyAt(admin_next);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_EQ(*enrolled, size);
  auto appended = f_->AppendOne(*(*collector)->SignNext(kInterval, "still"));
  ASSERT_TRUE(appended.ok()) << appended.status();

  // What is stored passes the open-time check and the full audit.
  ASSERT_TRUE(f_->Reopen().ok());
  absl::StatusOr<AuditReport> audit = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(audit.ok()) << audit.status();
  EXPECT_TRUE(audit->ok) << audit->problem;
}

// The same key enrolled twice in one batch (one group commit): the first is
// appended, the second refused, and its sequence number stays free.
TEST_F(KeyEventRefusalTest, SecondEnrolmentInOneBatchIsRefused) {
  auto key = crypto::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string event = EnrolEvent((*key)->public_key());
  const uint64_t size = f_->ledger().Size();
  const uint64_t admin_next = f_->admin().next_sequence();
  std::vector<AppendResult> results = f_->ledger().Append(
      {*f_->admin().SignAt(admin_next, kKeyEventType, event),
       *f_->admin().SignAt(admin_next + 1, kKeyEventType, event)});
  ASSERT_TRUE(results[0].status.ok()) << results[0].status;
  EXPECT_EQ(results[1].status.code(), absl::StatusCode::kAlreadyExists)
      << results[1].status;
  EXPECT_EQ(results[1].status.message(),
            AlreadyEnrolled(crypto::ComputeKeyId((*key)->public_key())));
  EXPECT_EQ(f_->ledger().Size(), size + 1);
  auto enrolled = EnrolFreshKeyAt(admin_next + 1);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_EQ(*enrolled, size + 1);
}

}  // namespace
}  // namespace ledger
