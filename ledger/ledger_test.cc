#include "ledger/ledger.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/audit.h"
#include "ledger/checkpoint_note.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/verify.h"
#include "ledger/signed_state.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using aifl::ledger::v1::ROLE_COLLECTOR;
using aifl::ledger::v1::ROLE_PROVIDER;
using testonly::LedgerFixture;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

bool Append1(Ledger& ledger, const std::string& envelope) {
  auto r = ledger.Append({envelope});
  EXPECT_TRUE(r[0].status.ok()) << r[0].status;
  return r[0].status.ok();
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(ROLE_COLLECTOR, "factory", "node-1");
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
  }

  std::string Sign(const std::string& payload) {
    auto envelope = collector_->SignNext(kInterval, payload);
    EXPECT_TRUE(envelope.ok());
    return *envelope;
  }

  std::unique_ptr<LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
};

TEST_F(LedgerTest, GenesisHasAdminAndLogKeyAndACheckpoint) {
  // Leaf 0: admin self-enrolment, leaf 1: log key, leaf 2: collector enrolment.
  EXPECT_EQ(f_->ledger().Size(), 3u);
  auto keys = f_->ledger().Keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].role, aifl::ledger::v1::ROLE_ADMIN);
  EXPECT_EQ(keys[1].role, ROLE_COLLECTOR);
  EXPECT_EQ(keys[1].tls_identity, "node-1");
  auto note = f_->ledger().LatestCheckpoint();
  ASSERT_TRUE(note.ok()) << note.status();
  auto fields = VerifyCheckpoint(*note, f_->ledger().origin(),
                                 f_->ledger().log_public_key());
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->size, 2u);
}

TEST_F(LedgerTest, AppendsAndProvesInclusionAndConsistency) {
  std::vector<std::string> envelopes;
  for (int i = 0; i < 300; ++i)
    envelopes.push_back(Sign("payload " + std::to_string(i)));
  auto results = f_->ledger().Append(envelopes);
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].status.ok()) << results[i].status;
    EXPECT_EQ(results[i].leaf_index, 3 + i);
    EXPECT_FALSE(results[i].duplicate);
  }
  const uint64_t size = f_->ledger().Size();
  ASSERT_EQ(size, 303u);
  auto root = f_->ledger().RootAt(size);
  ASSERT_TRUE(root.ok());
  for (uint64_t index : {0ull, 3ull, 255ull, 256ull, 302ull}) {
    auto leaf = f_->ledger().GetLeaf(index);
    ASSERT_TRUE(leaf.ok());
    auto proof = f_->ledger().InclusionProof(index, size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_TRUE(merkle::VerifyInclusion(index, size, merkle::HashLeaf(*leaf),
                                        *proof, *root)
                    .ok());
    auto found = f_->ledger().FindLeafByHash(merkle::HashLeaf(*leaf));
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, index);
  }
  for (uint64_t old : {1ull, 2ull, 256ull, 257ull}) {
    auto old_root = f_->ledger().RootAt(old);
    auto proof = f_->ledger().ConsistencyProof(old, size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_TRUE(
        merkle::VerifyConsistency(old, size, *proof, *old_root, *root).ok());
  }
  auto leaf = entry::ParseLeaf(*f_->ledger().GetLeaf(3));
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->envelope, envelopes[0]);
  EXPECT_EQ(leaf->integration_time(), f_->clock().Now());
}

TEST_F(LedgerTest, ProofsAndStateSurviveReopen) {
  std::vector<std::string> envelopes;
  for (int i = 0; i < 700; ++i)
    envelopes.push_back(Sign("p" + std::to_string(i)));
  for (const AppendResult& r : f_->ledger().Append(envelopes))
    ASSERT_TRUE(r.status.ok());
  ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  const auto root = *f_->ledger().RootAt(703);
  ASSERT_TRUE(f_->Reopen().ok());
  EXPECT_EQ(f_->ledger().Size(), 703u);
  EXPECT_EQ(*f_->ledger().RootAt(703), root);
  auto proof = f_->ledger().InclusionProof(500, 703);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(
      merkle::VerifyInclusion(
          500, 703, merkle::HashLeaf(*f_->ledger().GetLeaf(500)), *proof, root)
          .ok());
  // Appends continue after the restart with the next sequence number.
  auto index = f_->AppendOne(Sign("after restart"));
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(*index, 703u);
}

TEST_F(LedgerTest, IdempotentRetryReturnsOriginalReceipt) {
  const std::string first = Sign("first");
  auto index = f_->AppendOne(first);
  ASSERT_TRUE(index.ok());
  f_->clock().Advance(absl::Minutes(5));
  ASSERT_TRUE(f_->AppendOne(Sign("second")).ok());
  const uint64_t size = f_->ledger().Size();
  auto again = f_->ledger().Append({first});
  ASSERT_TRUE(again[0].status.ok()) << again[0].status;
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_EQ(again[0].leaf_index, *index);
  EXPECT_EQ(f_->ledger().Size(), size);
  // The same envelope twice in one batch is appended once.
  const std::string third = Sign("third");
  auto both = f_->ledger().Append({third, third});
  ASSERT_TRUE(both[0].status.ok());
  ASSERT_TRUE(both[1].status.ok());
  EXPECT_TRUE(both[1].duplicate);
  EXPECT_EQ(both[0].leaf_index, both[1].leaf_index);
  EXPECT_EQ(f_->ledger().Size(), size + 1);
}

TEST_F(LedgerTest, RejectsReusedSequenceWithOtherBytes) {
  ASSERT_TRUE(f_->AppendOne(Sign("original")).ok());
  const uint64_t size = f_->ledger().Size();
  auto forged = collector_->SignAt(0, kInterval, "other bytes");
  auto result = f_->ledger().Append({*forged});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kAlreadyExists)
      << result[0].status;
  EXPECT_EQ(f_->ledger().Size(), size);
}

TEST_F(LedgerTest, RejectsSequenceGap) {
  auto skipped = collector_->SignAt(5, kInterval, "gap");
  auto result = f_->ledger().Append({*skipped});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result[0].status.message().find("want 0"), std::string::npos)
      << result[0].status;
  EXPECT_EQ(f_->ledger().Size(), 3u);
}

// A leaf must fit a tlog-tiles entry bundle (16-bit length): 65,535 bytes
// is appended, one byte more is refused and appends nothing.
TEST_F(LedgerTest, RefusesALeafOverTheTilesEntryLimit) {
  // leaf = 9 + envelope; envelope = 95 + type + payload.
  const size_t fixed =
      entry::kLeafHeaderSize + 95 + std::string(kInterval).size();
  const size_t size = f_->ledger().Size();
  auto too_big = collector_->SignAt(
      0, kInterval, std::string(entry::kMaxLeafSize - fixed + 1, 'x'));
  ASSERT_TRUE(too_big.ok()) << too_big.status();
  auto refused = f_->ledger().Append({*too_big});
  EXPECT_EQ(refused[0].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused[0].status.message().find("65,535"), std::string::npos)
      << refused[0].status;
  EXPECT_EQ(f_->ledger().Size(), size);
  auto fits = collector_->SignAt(0, kInterval,
                                 std::string(entry::kMaxLeafSize - fixed, 'x'));
  ASSERT_TRUE(fits.ok()) << fits.status();
  auto appended = f_->ledger().Append({*fits});
  ASSERT_TRUE(appended[0].status.ok()) << appended[0].status;
  auto leaf = f_->ledger().GetLeaf(size);
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(leaf->size(), entry::kMaxLeafSize);
}

TEST_F(LedgerTest, RejectsUnknownKey) {
  auto key = crypto::SigningKey::Generate();
  EntrySigner stranger(std::move(*key), f_->ledger().origin(), 0);
  auto result = f_->ledger().Append({*stranger.SignNext(kInterval, "x")});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(result[0].status.message().find("unknown key"), std::string::npos);
  EXPECT_EQ(f_->ledger().Size(), 3u);
}

TEST_F(LedgerTest, RejectsWrongRole) {
  auto result = f_->ledger().Append({*collector_->SignNext(
      "aifl.provider.v1.ModelDeclaration", "not a collector's fact")});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(result[0].status.message().find("role collector"),
            std::string::npos);
  EXPECT_EQ(f_->ledger().Size(), 3u);
}

TEST_F(LedgerTest, RejectsBadSignature) {
  std::string tampered = Sign("honest");
  tampered[tampered.size() - 70] ^= 1;  // a payload byte
  auto result = f_->ledger().Append({tampered});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kUnauthenticated)
      << result[0].status;
  EXPECT_EQ(f_->ledger().Size(), 3u);
}

TEST_F(LedgerTest, RejectsEnvelopeSignedForAnotherLog) {
  // Same key, same sequence, but signed over another origin: the origin is
  // bound into the signature, so it cannot be replayed into this log.
  auto key = crypto::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string seed_free_copy(key->get()->public_key().bytes());
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(seed_free_copy);
  event.mutable_enrol()->set_role(ROLE_COLLECTOR);
  ASSERT_TRUE(f_->AppendOne(*f_->admin().SignNext(kKeyEventType,
                                                  event.SerializeAsString()))
                  .ok());
  EntrySigner elsewhere(std::move(*key), "other.example/log", 0);
  auto result =
      f_->ledger().Append({*elsewhere.SignNext(kInterval, "replayed")});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kUnauthenticated)
      << result[0].status;
}

TEST_F(LedgerTest, RejectsRevokedKey) {
  aifl::ledger::v1::KeyEvent revoke;
  revoke.mutable_revoke()->set_key_id(std::string(
      reinterpret_cast<const char*>(collector_->key_id().bytes().data()),
      crypto::kKeyIdSize));
  revoke.mutable_revoke()->set_reason("node decommissioned");
  ASSERT_TRUE(f_->AppendOne(*f_->admin().SignNext(kKeyEventType,
                                                  revoke.SerializeAsString()))
                  .ok());
  auto result = f_->ledger().Append({Sign("after revocation")});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(result[0].status.message().find("revoked"), std::string::npos);
}

TEST_F(LedgerTest, RejectsMalformedEnvelope) {
  auto result = f_->ledger().Append({std::string("\x01garbage", 8)});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(f_->ledger().Size(), 3u);
}

TEST_F(LedgerTest, BadEntryDoesNotAffectOthersInBatch) {
  auto bad = collector_->SignAt(99, kInterval, "gap");
  auto results = f_->ledger().Append({Sign("a"), *bad, Sign("b")});
  EXPECT_TRUE(results[0].status.ok());
  EXPECT_FALSE(results[1].status.ok());
  EXPECT_TRUE(results[2].status.ok());
  EXPECT_EQ(results[2].leaf_index, results[0].leaf_index + 1);
}

TEST_F(LedgerTest, IntegrationTimeNeverDecreases) {
  ASSERT_TRUE(f_->AppendOne(Sign("now")).ok());
  const auto t1 =
      entry::ParseLeaf(*f_->ledger().GetLeaf(3))->integration_time_micros;
  f_->clock().Advance(-absl::Hours(1));  // the wall clock steps back
  ASSERT_TRUE(f_->AppendOne(Sign("earlier?")).ok());
  const auto t2 =
      entry::ParseLeaf(*f_->ledger().GetLeaf(4))->integration_time_micros;
  EXPECT_GE(t2, t1);
}

TEST_F(LedgerTest, ConcurrentAppendersGetDistinctContiguousIndices) {
  constexpr int kThreads = 4, kPerThread = 200;
  std::vector<std::unique_ptr<EntrySigner>> signers;
  for (int t = 0; t < kThreads; ++t)
    signers.push_back(*f_->EnrolNewKey(ROLE_COLLECTOR));
  const uint64_t start = f_->ledger().Size();
  std::vector<std::vector<uint64_t>> indices(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = f_->ledger().Append({*signers[t]->SignNext(kInterval, "x")});
        if (r[0].status.ok()) indices[t].push_back(r[0].leaf_index);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<uint64_t> all;
  for (auto& v : indices) {
    EXPECT_EQ(v.size(), static_cast<size_t>(kPerThread));
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], start + i);
  EXPECT_EQ(f_->ledger().Size(), start + kThreads * kPerThread);
}

TEST_F(LedgerTest, RefusesToOpenWhenDatabaseIsBehindSignedState) {
  // Simulates restoring an old backup: the log key already signed a larger
  // tree.
  ASSERT_TRUE(f_->AppendOne(Sign("x")).ok());
  ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  const std::string state_path = SignedStatePath(DefaultLogKeyPath(f_->dir()));
  auto state = ReadSignedState(state_path);
  ASSERT_TRUE(state.ok() && state->has_value());
  SignedState ahead = **state;
  ahead.size += 10;
  ASSERT_TRUE(WriteSignedState(state_path, ahead).ok());
  f_->Close();
  absl::Status reopened = f_->Reopen();
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
  EXPECT_NE(reopened.message().find("old backup"), std::string::npos);
}

TEST_F(LedgerTest, RefusesToSignSecondRootForSameSize) {
  ASSERT_TRUE(f_->AppendOne(Sign("x")).ok());
  ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  const std::string state_path = SignedStatePath(DefaultLogKeyPath(f_->dir()));
  SignedState forked = **ReadSignedState(state_path);
  forked.root[0] ^= 1;
  ASSERT_TRUE(WriteSignedState(state_path, forked).ok());
  f_->Close();
  EXPECT_EQ(f_->Reopen().code(), absl::StatusCode::kDataLoss);
}

TEST_F(LedgerTest, CheckpointRootMatchesTreeAndIsStoredBySize) {
  ASSERT_TRUE(f_->AppendOne(Sign("x")).ok());
  auto note = f_->ledger().PublishCheckpoint();
  ASSERT_TRUE(note.ok());
  auto fields = VerifyCheckpoint(*note, f_->ledger().origin(),
                                 f_->ledger().log_public_key());
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->size, 4u);
  EXPECT_EQ(fields->root, *f_->ledger().RootAt(4));
  EXPECT_EQ(*f_->ledger().CheckpointAt(4), *note);
  // Publishing again without new entries returns the same note.
  EXPECT_EQ(*f_->ledger().PublishCheckpoint(), *note);
}

TEST_F(LedgerTest, ReadOnlyOpenRefusesAppends) {
  LedgerOptions options;
  options.dir = f_->dir();
  options.read_only = true;
  auto reader = Ledger::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->Size(), 3u);
  auto r = (*reader)->Append({Sign("x")});
  EXPECT_EQ(r[0].status.code(), absl::StatusCode::kFailedPrecondition);
}

// The admission rules (admission_test.cc) are the ones Append applies: an
// append-only rule refuses through the ledger too, and changes nothing.
TEST_F(LedgerTest, RefusesRevokingTheLastAdmin) {
  aifl::ledger::v1::KeyEvent revoke;
  const crypto::KeyId& admin = f_->admin().key_id();
  revoke.mutable_revoke()->set_key_id(
      std::string(admin.bytes().begin(), admin.bytes().end()));
  const uint64_t size = f_->ledger().Size();
  auto result = f_->ledger().Append(
      {*f_->admin().SignNext(kKeyEventType, revoke.SerializeAsString())});
  EXPECT_EQ(result[0].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(result[0].status.message(),
            absl::StrCat("revoke: key ", admin.ToString(),
                         " is the last unrevoked admin key; enrol another "
                         "admin key first (without one the registry can "
                         "never change again)"));
  EXPECT_EQ(f_->ledger().Size(), size);
}

TEST_F(LedgerTest, SimulatedClockMarkIsWrittenOnceAndSticky) {
  EXPECT_EQ(f_->ledger().simulated_clock_since(), std::nullopt);
  ASSERT_TRUE(Append1(f_->ledger(), Sign("a")));
  const uint64_t size = f_->ledger().Size();
  f_->Close();
  LedgerOptions options;
  options.dir = f_->dir();
  options.clock = &f_->clock();
  {
    // A read-only open does not mark.
    options.read_only = true;
    options.simulated_clock = true;
    auto reader = Ledger::Open(options);
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ((*reader)->simulated_clock_since(), std::nullopt);
  }
  {
    options.read_only = false;
    auto writer = Ledger::Open(options);
    ASSERT_TRUE(writer.ok()) << writer.status();
    EXPECT_EQ((*writer)->simulated_clock_since(), size);
    ASSERT_TRUE(Append1(**writer, Sign("b")));
  }
  // Reopened without the option (as the server would be): still marked,
  // at the first size; the audit reports it too.
  ASSERT_TRUE(f_->Reopen().ok());
  EXPECT_EQ(f_->ledger().simulated_clock_since(), size);
  absl::StatusOr<AuditReport> audit = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(audit.ok()) << audit.status();
  EXPECT_TRUE(audit->ok) << audit->problem;
  EXPECT_EQ(audit->simulated_clock_since, size);
}

TEST_F(LedgerTest, RealClockLedgerIsNotMarked) {
  absl::StatusOr<AuditReport> audit = AuditLedgerDir(f_->dir(), {});
  ASSERT_TRUE(audit.ok()) << audit.status();
  EXPECT_EQ(audit->simulated_clock_since, std::nullopt);
}

}  // namespace
}  // namespace ledger
