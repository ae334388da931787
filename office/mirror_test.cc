// The mirror's contract (mirror.h): entries in order up to the verified
// size, readable from any position and after reopening; steps must follow
// each other; a stop keeps its incident.
#include "office/mirror.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"

namespace office {
namespace {

FollowCommit Step(const std::string& origin, uint64_t from, int n) {
  FollowCommit c;
  c.origin = origin;
  c.first_index = from;
  for (int i = 0; i < n; ++i)
    c.entries.push_back("leaf-" + std::to_string(from + i));
  c.state.set_verified_size(from + n);
  c.state.set_checkpoint_note("o\n" + std::to_string(from + n) +
                              "\nroot\n\nsig\n");
  c.checkpoint_verified = true;
  return c;
}

std::vector<std::string> Read(const Mirror& m, const std::string& origin,
                              uint64_t from) {
  std::vector<std::string> out;
  EXPECT_TRUE(m.Visit(origin, from, [&](uint64_t i, absl::string_view leaf) {
                 EXPECT_EQ(i, from + out.size());
                 out.emplace_back(leaf);
                 return absl::OkStatus();
               }).ok());
  return out;
}

TEST(MirrorTest, VisitFromAnyPositionAcrossReopen) {
  const std::string dir = ledger::testonly::FreshDir("mirror");
  {
    auto m = Mirror::Open(dir);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_TRUE((*m)->Commit(Step("a", 0, 3)).ok());
    ASSERT_TRUE((*m)->Commit(Step("a", 3, 2)).ok());
    ASSERT_TRUE(
        (*m)->Commit(Step("a\x01", 0, 1)).ok());  // a prefix-like origin
    // A step that does not follow the stored size is refused.
    EXPECT_TRUE(absl::IsFailedPrecondition((*m)->Commit(Step("a", 7, 1))));
  }
  auto m = Mirror::Open(dir);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*(*m)->VerifiedSize("a"), 5u);
  EXPECT_EQ(*(*m)->VerifiedSize("never"), 0u);
  EXPECT_EQ(Read(**m, "a", 0),
            (std::vector<std::string>{"leaf-0", "leaf-1", "leaf-2", "leaf-3",
                                      "leaf-4"}));
  EXPECT_EQ(Read(**m, "a", 3), (std::vector<std::string>{"leaf-3", "leaf-4"}));
  EXPECT_TRUE(Read(**m, "a", 5).empty());
  EXPECT_EQ(Read(**m, "a\x01", 0), (std::vector<std::string>{"leaf-0"}));
  EXPECT_EQ(*(*m)->Origins(), (std::vector<std::string>{"a", "a\x01"}));
  EXPECT_TRUE((*m)->VerifiedCheckpoint("a", 5)->has_value());
  EXPECT_FALSE((*m)->VerifiedCheckpoint("a", 4)->has_value());
  // fn's error stops the visit and is returned.
  int calls = 0;
  absl::Status stopped = (*m)->Visit("a", 0, [&](uint64_t, absl::string_view) {
    return ++calls == 2 ? absl::CancelledError("enough") : absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsCancelled(stopped));
  EXPECT_EQ(calls, 2);

  LogIncident incident;
  incident.origin = "a";
  incident.kind = IncidentKind::kRollback;
  ASSERT_TRUE((*m)->Stop(incident).ok());
  EXPECT_TRUE((*(*m)->LoadFollowState("a"))->stopped());
  auto all = (*m)->Incidents("");
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].origin, "a");
  EXPECT_TRUE((*m)->Incidents("a\x01")->empty());
}

}  // namespace
}  // namespace office
