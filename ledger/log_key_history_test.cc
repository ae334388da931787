#include "ledger/log_key_history.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/note/signed_note.h"

namespace ledger {
namespace {

constexpr char kOrigin[] = "test.example/ledger";

struct Key {
  std::unique_ptr<note::NoteSigner> signer;
  crypto::PublicKey pub() const { return signer->public_key(); }
};

Key NewKey() {
  auto signer =
      note::NoteSigner::Create(kOrigin, *crypto::SigningKey::Generate());
  EXPECT_TRUE(signer.ok());
  return Key{std::move(*signer)};
}

std::string Body(uint64_t size) {
  return absl::StrCat(kOrigin, "\n", size,
                      "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
}

TEST(LogKeyHistoryTest, EpochForSizeFollowsAnnouncements) {
  Key a = NewKey(), b = NewKey(), c = NewKey();
  LogKeyHistory h;
  h.Add(1, a.pub());
  h.Add(10, b.pub());
  h.Add(20, c.pub());
  EXPECT_EQ(h.EpochForSize(0), 0u);
  EXPECT_EQ(h.EpochForSize(2), 0u);
  EXPECT_EQ(h.EpochForSize(10), 0u);  // size 10 does not contain leaf 10
  EXPECT_EQ(h.EpochForSize(11), 1u);
  EXPECT_EQ(h.EpochForSize(20), 1u);
  EXPECT_EQ(h.EpochForSize(21), 2u);
  EXPECT_EQ(h.current().key, c.pub());
}

TEST(LogKeyHistoryTest, RefusesCurrentAndFormerKeys) {
  Key a = NewKey(), b = NewKey(), c = NewKey();
  LogKeyHistory h;
  EXPECT_TRUE(h.CheckAnnounce(a.pub(), kOrigin).ok());
  h.Add(1, a.pub());
  h.Add(5, b.pub());
  EXPECT_EQ(h.CheckAnnounce(b.pub(), kOrigin).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status former = h.CheckAnnounce(a.pub(), kOrigin);
  EXPECT_EQ(former.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(former.message().find("never re-used"), std::string::npos);
  EXPECT_TRUE(h.CheckAnnounce(c.pub(), kOrigin).ok());
  EXPECT_TRUE(h.Contains(a.pub()));
  EXPECT_FALSE(h.Contains(c.pub()));
}

TEST(LogKeyHistoryTest, VerifiesWithTheKeyForTheSizeAndTheHandover) {
  Key a = NewKey(), b = NewKey();
  LogKeyHistory h;
  h.Add(1, a.pub());
  h.Add(5, b.pub());
  // Before the rotation: a's signature.
  auto old_note = a.signer->Sign(Body(5));
  ASSERT_TRUE(old_note.ok());
  EXPECT_TRUE(h.VerifyCheckpoint(*old_note, kOrigin, false).ok());
  // After it, a alone is not enough.
  auto stale = a.signer->Sign(Body(6));
  EXPECT_EQ(h.VerifyCheckpoint(*stale, kOrigin, false).status().code(),
            absl::StatusCode::kUnauthenticated);
  // The handover: a then b.
  std::string handover =
      *a.signer->Sign(Body(6)) + *b.signer->SignatureLine(Body(6));
  auto fields = h.VerifyCheckpoint(handover, kOrigin, true);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->size, 6u);
  // b alone is a valid later checkpoint but not a valid handover.
  auto only_new = b.signer->Sign(Body(6));
  EXPECT_TRUE(h.VerifyCheckpoint(*only_new, kOrigin, false).ok());
  auto not_handover = h.VerifyCheckpoint(*only_new, kOrigin, true);
  EXPECT_EQ(not_handover.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(not_handover.status().message().find("previous log key"),
            std::string::npos);
}

}  // namespace
}  // namespace ledger
