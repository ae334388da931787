// SignedAppender over a target whose answers get lost: what was signed is
// sent again as the same bytes, so the ledger holds each entry once and the
// key's sequence has no gap (real RocksDB ledger, real signatures).
#include "compliance/signed_appender.h"

#include <memory>
#include <string>
#include <vector>

#include "compliance/entry_target.h"
#include "compliance/testonly/factory_log.h"
#include "gtest/gtest.h"
#include "ledger/roles.h"

namespace compliance {
namespace {

template <typename T>
T Must(absl::StatusOr<T> v) {
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

// A ledger behind a transport that, when told to, loses the next call:
// before it reaches the ledger (kDropRequest) or after the ledger appended
// it (kDropAnswer).
class LossyTarget final : public EntryTarget {
 public:
  enum class Loss { kNone, kDropRequest, kDropAnswer };

  explicit LossyTarget(ledger::Ledger* l) : ledger_(l) {}
  void LoseNext(Loss loss) { loss_ = loss; }
  int duplicates() const { return duplicates_; }

  std::string Origin() const override { return ledger_.Origin(); }
  absl::StatusOr<std::optional<ledger::KeyInfo>> FindKey(
      const ledger::crypto::KeyId& id) override {
    return ledger_.FindKey(id);
  }
  absl::StatusOr<std::vector<ledger::AppendResult>> Append(
      absl::Span<const std::string> envelopes) override {
    const Loss loss = loss_;
    loss_ = Loss::kNone;
    if (loss == Loss::kDropRequest) {
      return absl::UnavailableError("connection reset before the request");
    }
    absl::StatusOr<std::vector<ledger::AppendResult>> r =
        ledger_.Append(envelopes);
    if (loss == Loss::kDropAnswer) {
      return absl::UnavailableError("connection reset before the answer");
    }
    if (r.ok()) {
      for (const ledger::AppendResult& a : *r) duplicates_ += a.duplicate;
    }
    return r;
  }

 private:
  LedgerEntryTarget ledger_;
  Loss loss_ = Loss::kNone;
  int duplicates_ = 0;
};

struct Fixture {
  std::unique_ptr<testonly::FactoryLog> log;
  std::string key;
  std::string type;
};

Fixture Make() {
  Fixture f;
  f.log = Must(testonly::FactoryLog::Create("office.test/appender"));
  f.key = Must(f.log->EnrolKeyFile(aifl::ledger::v1::ROLE_OFFICE, "AI Office",
                                   "office"));
  f.type = Must(ledger::OpaqueBlobType(aifl::ledger::v1::ROLE_OFFICE));
  return f;
}

TEST(SignedAppenderTest, AnswerLostAfterLandingIsResentAsDuplicates) {
  Fixture f = Make();
  LossyTarget target(&f.log->ledger());
  auto appender = Must(
      SignedAppender::Create(&target, f.key, aifl::ledger::v1::ROLE_OFFICE));
  const uint64_t size = f.log->ledger().Size();

  target.LoseNext(LossyTarget::Loss::kDropAnswer);
  EXPECT_EQ(appender->Append(f.type, {"a", "b"}, "blob").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(appender->pending(), 2u);
  EXPECT_EQ(f.log->ledger().Size(), size + 2);  // they landed

  // Sent again as the same bytes: the ledger answers with the originals.
  ASSERT_TRUE(appender->Flush().ok());
  EXPECT_EQ(appender->pending(), 0u);
  EXPECT_EQ(target.duplicates(), 2);
  EXPECT_EQ(f.log->ledger().Size(), size + 2);
  EXPECT_EQ(appender->appended_up_to(), size + 2);

  // The sequence goes on without a gap.
  EXPECT_EQ(Must(appender->Append(f.type, {"c"}, "blob")), size + 2);
  EXPECT_EQ(f.log->ledger().Size(), size + 3);
}

TEST(SignedAppenderTest, RequestLostIsSentFirstWithTheNextAppend) {
  Fixture f = Make();
  LossyTarget target(&f.log->ledger());
  auto appender = Must(
      SignedAppender::Create(&target, f.key, aifl::ledger::v1::ROLE_OFFICE));
  const uint64_t size = f.log->ledger().Size();

  target.LoseNext(LossyTarget::Loss::kDropRequest);
  EXPECT_FALSE(appender->Append(f.type, {"kept-payload"}, "blob").ok());
  EXPECT_EQ(appender->pending(), 1u);
  EXPECT_EQ(f.log->ledger().Size(), size);

  // The kept entry goes first; the index returned is the new payload's.
  EXPECT_EQ(Must(appender->Append(f.type, {"next-payload"}, "blob")), size + 1);
  EXPECT_EQ(appender->pending(), 0u);
  EXPECT_EQ(target.duplicates(), 0);
  ASSERT_EQ(f.log->ledger().Size(), size + 2);
  const std::vector<std::string> leaves = Must(f.log->Leaves());
  EXPECT_NE(leaves[size].find("kept-payload"), std::string::npos);
  EXPECT_NE(leaves[size + 1].find("next-payload"), std::string::npos);
}

TEST(SignedAppenderTest, AnUnenrolledKeyIsRefusedAtCreate) {
  Fixture f = Make();
  LedgerEntryTarget target(&f.log->ledger());
  const absl::StatusOr<std::unique_ptr<SignedAppender>> wrong_role =
      SignedAppender::Create(&target, f.key, aifl::ledger::v1::ROLE_RULES);
  EXPECT_EQ(wrong_role.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(wrong_role.status().message().find("office.test/appender"),
            std::string::npos);
}

}  // namespace
}  // namespace compliance
