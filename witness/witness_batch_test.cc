// Witness::Batch, the round of add-checkpoint requests an event loop answers
// after one synced write: no answer before the states are stored, one
// origin at most once per batch, and a thread never waits for an origin's
// lock while its batch holds others.
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"
#include "witness/testonly/fake_log.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_store.h"

namespace witness {
namespace {

using testonly::FakeLog;

constexpr int kUnanswered = -1;

class WitnessBatchTest : public ::testing::Test {
 protected:
  WitnessBatchTest()
      : a_("factory-a.example.eu/ledger", 1, "a"),
        b_("factory-b.example.eu/ledger", 2, "b"),
        clock_(absl::FromUnixSeconds(1800000000)) {
    a_.GrowTo(100);
    b_.GrowTo(100);
  }

  void SetUp() override {
    auto store = WitnessStore::Open(absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto logs = TrustedLogs::Parse(absl::StrCat(a_.LogLine(), b_.LogLine()));
    ASSERT_TRUE(logs.ok()) << logs.status();
    auto w = Witness::Create(
        *ledger::note::Cosigner::Create(
            "office.example.eu/w1",
            *ledger::crypto::SigningKey::FromSeed(std::string(32, '\x77'))),
        *std::move(logs), store_.get(), &clock_);
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = *std::move(w);
  }

  // The size stored for `log`, 0 when none.
  uint64_t StoredSize(const FakeLog& log) {
    auto state = store_->GetState(log.origin());
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() && state->has_value() ? (*state)->size : 0;
  }

  // Whether the request from `old_size` to `size` of `log` joined `batch`
  // (passed every check, not answered yet).
  bool Joins(const FakeLog& log, uint64_t old_size, uint64_t size,
             Witness::Batch* batch, WitnessResponse* answer) {
    return !witness_->AddCheckpoint(log.Request(old_size, size), batch, answer)
                .has_value();
  }

  FakeLog a_, b_;
  common::FakeClock clock_;
  std::unique_ptr<WitnessStore> store_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessBatchTest, AnswersOnlyOnceTheBatchIsStored) {
  Witness::Batch batch;
  WitnessResponse answer_a{kUnanswered, "", ""};
  WitnessResponse answer_b{kUnanswered, "", ""};
  EXPECT_TRUE(Joins(a_, 0, 10, &batch, &answer_a));
  EXPECT_TRUE(Joins(b_, 0, 20, &batch, &answer_b));
  // Cosigned, not stored: nothing is answered yet.
  EXPECT_EQ(answer_a.status, kUnanswered);
  EXPECT_EQ(answer_b.status, kUnanswered);
  EXPECT_EQ(StoredSize(a_), 0u);
  EXPECT_EQ(StoredSize(b_), 0u);
  // A refusal is answered at once and joins nothing.
  std::optional<WitnessResponse> refused =
      witness_->AddCheckpoint("old 01\n\nx", &batch, &answer_a);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 400);

  witness_->Commit(&batch);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(StoredSize(a_), 10u);
  EXPECT_EQ(StoredSize(b_), 20u);
  EXPECT_EQ(answer_a.status, 200);
  EXPECT_EQ(answer_b.status, 200);
  EXPECT_EQ(answer_a.body.rfind("\xe2\x80\x94 office.example.eu/w1 ", 0), 0u);
  // The same as one request at a time.
  EXPECT_EQ(witness_->AddCheckpoint(a_.Request(10, 30)).status, 200);
}

// A second request for an origin of the batch stores the first one before
// its checks, so it sees the size the first one cosigned.
TEST_F(WitnessBatchTest, AnOriginTwiceInOneRoundStoresTheFirstBeforeTheSecond) {
  Witness::Batch batch;
  WitnessResponse first{kUnanswered, "", ""};
  WitnessResponse second{kUnanswered, "", ""};
  WitnessResponse stale{kUnanswered, "", ""};
  EXPECT_TRUE(Joins(a_, 0, 10, &batch, &first));
  EXPECT_TRUE(Joins(a_, 10, 40, &batch, &second));
  EXPECT_EQ(first.status, 200);  // stored when the second came
  EXPECT_EQ(StoredSize(a_), 10u);
  EXPECT_EQ(second.status, kUnanswered);
  // From the old size 10 again: the size in the batch is not stored yet,
  // and this request must not pass the same old size a second time.
  std::optional<WitnessResponse> conflict =
      witness_->AddCheckpoint(a_.Request(10, 50), &batch, &stale);
  ASSERT_TRUE(conflict.has_value());
  EXPECT_EQ(conflict->status, 409);
  EXPECT_EQ(conflict->body, "40\n");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(StoredSize(a_), 40u);
  witness_->Commit(&batch);
  EXPECT_EQ(stale.status, kUnanswered);
}

// Another thread's batch holds origin a; this thread's batch holds b and
// then wants a. It must store (and release) b before it waits for a: two
// loops that each held what the other wants would otherwise wait forever.
TEST_F(WitnessBatchTest, WaitsForAnOriginOnlyAfterStoringItsOwnBatch) {
  Witness::Batch holds_a;
  WitnessResponse answer_a{kUnanswered, "", ""};
  ASSERT_TRUE(Joins(a_, 0, 10, &holds_a, &answer_a));
  WitnessResponse answer_b{kUnanswered, "", ""};
  WitnessResponse answer_a2{kUnanswered, "", ""};
  std::optional<WitnessResponse> a2_now;
  std::thread other([&] {
    Witness::Batch batch;
    if (!Joins(b_, 0, 20, &batch, &answer_b)) return;
    a2_now = witness_->AddCheckpoint(a_.Request(10, 60), &batch, &answer_a2);
    witness_->Commit(&batch);
  });
  // The other thread stores b before it waits for a, which this thread's
  // batch still holds. (Without that rule this loop never ends.)
  while (StoredSize(b_) != 20) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(StoredSize(a_), 0u);
  witness_->Commit(&holds_a);
  other.join();
  EXPECT_EQ(answer_a.status, 200);
  EXPECT_EQ(answer_b.status, 200);
  EXPECT_FALSE(a2_now.has_value());
  EXPECT_EQ(answer_a2.status, 200);
  EXPECT_EQ(StoredSize(a_), 60u);
}

}  // namespace
}  // namespace witness
