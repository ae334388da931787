#include "witness/witness_store.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace witness {
namespace {

std::string TempDir(absl::string_view name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

TEST(WitnessStoreTest, StateSurvivesReopen) {
  const std::string dir = TempDir("state");
  OriginState state{42, ledger::merkle::HashLeaf("x"), "note\n\n— w sig\n"};
  {
    auto store = WitnessStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    auto none = (*store)->GetState("a.example/log");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE((*store)->PutState("a.example/log", state).ok());
  }
  auto store = WitnessStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  auto got = (*store)->GetState("a.example/log");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->size, 42u);
  EXPECT_EQ((*got)->root, state.root);
  EXPECT_EQ((*got)->note, state.note);
  // A second process is refused while the first holds the database.
  EXPECT_EQ(WitnessStore::Open(dir).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(WitnessStoreTest, EvidenceGoldenFormatDedupAndPerOrigin) {
  Evidence e{"a.example/log", 1700000000, "size 3: root differs",
             "old 3\n\nbody\n"};
  EXPECT_EQ(FormatEvidence(e),
            "aifl-witness-evidence-v1\norigin a.example/log\ntime 1700000000\n"
            "reason size 3: root differs\nbytes 12\n\nold 3\n\nbody\n");
  auto parsed = ParseEvidence(FormatEvidence(e));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->request, e.request);
  EXPECT_FALSE(ParseEvidence("aifl-witness-evidence-v1\norigin x\n").ok());

  auto store = WitnessStore::Open(TempDir("evidence"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->AddEvidence(e, "note 1").ok());
  Evidence again = e;
  again.time = 1800000000;
  ASSERT_TRUE((*store)->AddEvidence(again, "note 1").ok());  // kept as first
  Evidence other{"b.example/log", 1600000000, "size 1 below 2", "old 0\n\nb\n"};
  ASSERT_TRUE((*store)->AddEvidence(other, "note 2").ok());
  auto a = (*store)->ListEvidence("a.example/log");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].time, 1700000000);
  auto all = (*store)->ListEvidence("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].origin, "b.example/log");  // oldest first
}

}  // namespace
}  // namespace witness
