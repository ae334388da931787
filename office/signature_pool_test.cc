// SignaturePool over a real ledger's leaves (testonly/hostile_log.h): each
// batch answers for its own signatures with its lowest bad leaf, whatever
// the order the workers finish them in; a cancelled batch stops costing;
// destroying the pool verifies what was queued.
#include "office/signature_pool.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "gtest/gtest.h"
#include "ledger/leaf_replay.h"
#include "office/testonly/hostile_log.h"

namespace office {
namespace {

using testonly::HostileLog;

class SignaturePoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto log = HostileLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->Grow(kLeaves).ok());
    auto leaves = (*log)->LedgerLeaves();
    ASSERT_TRUE(leaves.ok());
    origin_ = new std::string((*log)->origin());
    leaves_ = new std::vector<std::string>(*std::move(leaves));
    bad_leaves_ = new std::vector<std::string>(*leaves_);
    for (std::string& leaf : *bad_leaves_) {
      auto flipped = HostileLog::WithBadSignature(leaf);
      ASSERT_TRUE(flipped.ok()) << flipped.status();
      leaf = *std::move(flipped);
    }
  }
  static void TearDownTestSuite() {
    delete origin_;
    delete leaves_;
    delete bad_leaves_;
  }

  // The log's leaves (its first ones, then the kLeaves grown) as batches of
  // `size`, the signatures of the leaves in `bad` flipped.
  static std::vector<ledger::DeferredSignatures> Batches(
      size_t size, const std::vector<size_t>& bad = {}) {
    std::vector<std::string> leaves = *leaves_;
    for (size_t i : bad) leaves[i] = (*bad_leaves_)[i];
    ledger::LeafReplay replay(*origin_, 1);
    std::vector<ledger::DeferredSignatures> batches;
    for (size_t begin = 0; begin < leaves.size(); begin += size) {
      const size_t n = std::min(size, leaves.size() - begin);
      batches.emplace_back(*origin_);
      std::optional<ledger::LeafFailure> failed = replay.ReplayDeferred(
          absl::MakeConstSpan(leaves).subspan(begin, n), &batches.back());
      EXPECT_FALSE(failed.has_value()) << failed->problem;
    }
    return batches;
  }

  static constexpr size_t kLeaves = 600;
  static std::string* origin_;
  static std::vector<std::string>* leaves_;
  static std::vector<std::string>* bad_leaves_;  // every signature flipped
};

std::string* SignaturePoolTest::origin_ = nullptr;
std::vector<std::string>* SignaturePoolTest::leaves_ = nullptr;
std::vector<std::string>* SignaturePoolTest::bad_leaves_ = nullptr;

TEST_F(SignaturePoolTest, EachBatchAnswersForItsOwnLowestBadLeaf) {
  // Three workers share every batch, so the bad signatures of one batch are
  // verified by different workers, in any order.
  SignaturePool pool(3);
  // Batches of 100: leaves 150 and 199 are in the second batch (the lowest
  // is named, though the higher one sits at the batch's end), 420 ... 425
  // in the fifth, the others are good.
  std::vector<ledger::DeferredSignatures> batches =
      Batches(100, {199, 150, 425, 424, 423, 422, 421, 420});
  std::vector<SignaturePool::Ticket> tickets;
  for (ledger::DeferredSignatures& b : batches) {
    tickets.push_back(pool.Submit(std::move(b)));
  }
  ASSERT_GE(tickets.size(), 6u);  // the log's own first leaves come too
  // Waited for from the last: each result is its batch's own.
  for (size_t i = tickets.size(); i-- > 0;) {
    std::optional<ledger::LeafFailure> bad = pool.Wait(tickets[i]);
    EXPECT_TRUE(pool.Ready(tickets[i]));
    if (i == 1) {
      ASSERT_TRUE(bad.has_value()) << i;
      EXPECT_EQ(bad->index, 150u);
    } else if (i == 4) {
      ASSERT_TRUE(bad.has_value()) << i;
      EXPECT_EQ(bad->index, 420u);
    } else {
      EXPECT_FALSE(bad.has_value()) << i << ": " << bad->problem;
    }
  }
}

TEST_F(SignaturePoolTest, ABadSignatureInALaterBatchIsFoundAfterGoodOnes) {
  SignaturePool pool(2);
  std::vector<ledger::DeferredSignatures> batches = Batches(256, {599});
  ASSERT_EQ(batches.size(), 3u);  // 599 is in the last
  std::vector<SignaturePool::Ticket> tickets;
  for (ledger::DeferredSignatures& b : batches) {
    tickets.push_back(pool.Submit(std::move(b)));
  }
  EXPECT_FALSE(pool.Wait(tickets[0]).has_value());
  EXPECT_FALSE(pool.Wait(tickets[1]).has_value());
  std::optional<ledger::LeafFailure> bad = pool.Wait(tickets[2]);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->index, 599u);
}

TEST_F(SignaturePoolTest, SubmittersOnSeveralThreadsShareOnePool) {
  SignaturePool pool(2);
  std::vector<std::thread> submitters;
  std::vector<std::optional<uint64_t>> found(3);
  for (size_t s = 0; s < found.size(); ++s) {
    submitters.emplace_back([&, s] {
      // Submitter s has one bad leaf, at 100 * (s + 1) + 7.
      std::vector<ledger::DeferredSignatures> batches =
          Batches(128, {100 * (s + 1) + 7});
      std::vector<SignaturePool::Ticket> tickets;
      for (ledger::DeferredSignatures& b : batches) {
        tickets.push_back(pool.Submit(std::move(b)));
      }
      for (const SignaturePool::Ticket& t : tickets) {
        if (std::optional<ledger::LeafFailure> bad = pool.Wait(t)) {
          EXPECT_FALSE(found[s].has_value());
          found[s] = bad->index;
        }
      }
    });
  }
  for (std::thread& t : submitters) t.join();
  EXPECT_EQ(found[0], std::optional<uint64_t>(107));
  EXPECT_EQ(found[1], std::optional<uint64_t>(207));
  EXPECT_EQ(found[2], std::optional<uint64_t>(307));
}

TEST_F(SignaturePoolTest, AnEmptyBatchIsReadyAndGood) {
  SignaturePool pool(1);
  SignaturePool::Ticket t = pool.Submit(ledger::DeferredSignatures(*origin_));
  EXPECT_TRUE(pool.Ready(t));
  EXPECT_FALSE(pool.Wait(t).has_value());
}

TEST_F(SignaturePoolTest, ACancelledBatchLeavesThePoolToTheNextOnes) {
  SignaturePool pool(1);
  // The first batch (every signature of it bad) is given up while its
  // signatures verify; the next batch's answer is its own.
  std::vector<size_t> all(300);
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<ledger::DeferredSignatures> given_up = Batches(300, all);
  std::vector<ledger::DeferredSignatures> next = Batches(600, {333});
  SignaturePool::Ticket first = pool.Submit(std::move(given_up[0]));
  SignaturePool::Ticket second = pool.Submit(std::move(next[0]));
  pool.Cancel(first);
  EXPECT_TRUE(pool.Ready(first));
  std::optional<ledger::LeafFailure> bad = pool.Wait(second);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->index, 333u);
  pool.Cancel(second);  // a finished batch: nothing to drop
  EXPECT_TRUE(pool.Ready(second));
}

TEST_F(SignaturePoolTest, DestroyingThePoolWhileItVerifiesJoinsItsWorkers) {
  // Tickets dropped and the pool destroyed with batches queued and running:
  // the destructor verifies them and joins (ASan/TSan builds catch a
  // worker left behind touching the freed pool).
  std::vector<ledger::DeferredSignatures> batches = Batches(50, {10, 590});
  {
    SignaturePool pool(2);
    for (ledger::DeferredSignatures& b : batches) pool.Submit(std::move(b));
  }
  // A ticket kept past the pool's destruction still owns its batch.
  SignaturePool::Ticket kept;
  {
    SignaturePool pool(2);
    kept = pool.Submit(std::move(Batches(600)[0]));
    EXPECT_EQ(pool.workers(), 2);
  }
}

}  // namespace
}  // namespace office
