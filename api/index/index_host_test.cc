// The index a ledger server hosts: caught up from the served ledger's own
// published checkpoints, a long catch-up in bounded steps that each stop at
// a published checkpoint, answers (head and pages) that verify, and index
// citations as of any input size (behind, at and past the index).
#include "api/index/index_host.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/finding_citation.h"
#include "index/map_fn.h"
#include "index/model_page.h"
#include "index/testonly/model_log.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"

namespace api::index {
namespace {

// An output log with a rules key enrolled, opened for a host.
OpenedOutputLog TestOutputLog(const std::string& origin) {
  auto out = ledger::testonly::LedgerFixture::Create(origin);
  EXPECT_TRUE(out.ok());
  auto signer = (*out)->EnrolNewKey(aifl::ledger::v1::ROLE_RULES);
  EXPECT_TRUE(signer.ok());
  const std::string dir = (*out)->dir();
  (*out)->Close();
  OpenedOutputLog output;
  ledger::LedgerOptions options;
  options.dir = dir;
  output.ledger = *ledger::Ledger::Open(options);
  output.log =
      *vindex::OutputLog::Create(output.ledger.get(), std::move(*signer));
  return output;
}

// `model`'s list below `size`, by re-running MapFn on every leaf.
std::vector<uint64_t> ListBelow(const ledger::Ledger& ledger,
                                const std::string& model, uint64_t size) {
  std::vector<uint64_t> out;
  for (uint64_t i = 0; i < size; ++i) {
    const std::vector<std::string> models =
        vindex::ModelsOfLeaf(i, *ledger.GetLeaf(i)).value();
    for (const std::string& m : models) {
      if (m == model) out.push_back(i);
    }
  }
  return out;
}

TEST(IndexHostTest, CitesAnyInputSizeBehindAtAndPastTheIndex) {
  auto in = vindex::testonly::ModelLog::Create("test.example/factory");
  ASSERT_TRUE(in.ok()) << in.status();
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE((*in)->Append(absl::StrCat("m", i % 3), i % 4).ok());
  }
  ASSERT_TRUE((*in)->ledger().PublishCheckpoint().ok());
  auto host =
      IndexHost::Open((*in)->ledger(), TestOutputLog("test.example/index"),
                      ledger::testonly::FreshDir("store"),
                      /*max_step_leaves=*/20);
  ASSERT_TRUE(host.ok()) << host.status();
  const uint64_t indexed = (*in)->ledger().Size();
  for (uint64_t at = 0; at < indexed;) {  // in steps of at most 20 leaves
    absl::StatusOr<FollowStep> step = (*host)->Update();
    ASSERT_TRUE(step.ok()) << step.status();
    at = step->state.input_size;
  }
  // Leaves the index has not seen yet (no checkpoint covers them).
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE((*in)->Append(absl::StrCat("m", i % 2), i % 4).ok());
  }
  const uint64_t size = (*in)->ledger().Size();
  for (uint64_t as_of :
       {uint64_t{1}, indexed - 5, indexed, indexed + 1, size}) {
    auto cited = (*host)->Cite({"m0", "m1", "absent"}, as_of);
    ASSERT_TRUE(cited.ok()) << as_of << ": " << cited.status();
    ASSERT_EQ(cited->size(), 3u);
    for (const auto& [model, c] : *cited) {
      EXPECT_EQ(c.index_origin(), "test.example/index");
      EXPECT_EQ(c.map_fn_version(), vindex::kMapFnVersion);
      EXPECT_EQ(c.model_key(), model);
      EXPECT_EQ(c.input_size(), as_of);
      const std::vector<uint64_t> want =
          ListBelow((*in)->ledger(), model, as_of);
      EXPECT_EQ(c.count(), want.size()) << model << " as of " << as_of;
      EXPECT_TRUE(vindex::CheckCitedList(c, want).ok())
          << model << " as of " << as_of;
    }
  }
  // Past the ledger, and further past the index than one step.
  EXPECT_EQ((*host)->Cite({"m0"}, size + 1).status().code(),
            absl::StatusCode::kOutOfRange);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*in)->Append("m0", 1).ok());
  EXPECT_EQ((*host)->Cite({"m0"}, (*in)->ledger().Size()).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(IndexHostTest, CatchesUpInBoundedStepsAtPublishedCheckpoints) {
  auto in = vindex::testonly::ModelLog::Create("test.example/factory");
  ASSERT_TRUE(in.ok()) << in.status();
  std::vector<uint64_t> published;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE((*in)->Append(absl::StrCat("m", i % 2), i % 4).ok());
    }
    ASSERT_TRUE((*in)->ledger().PublishCheckpoint().ok());
    published.push_back((*in)->ledger().Size());
  }
  auto host =
      IndexHost::Open((*in)->ledger(), TestOutputLog("test.example/index"),
                      ledger::testonly::FreshDir("store"),
                      /*max_step_leaves=*/15);
  ASSERT_TRUE(host.ok()) << host.status();

  // Each step stops at the largest published checkpoint within 15 leaves
  // (the first one when none is), until the latest.
  std::vector<uint64_t> sizes;
  while (sizes.empty() || sizes.back() < published.back()) {
    absl::StatusOr<FollowStep> step = (*host)->Update();
    ASSERT_TRUE(step.ok()) << step.status();
    ASSERT_TRUE(step->published);
    sizes.push_back(step->state.input_size);
    ASSERT_LE(sizes.size(), published.size());
  }
  for (uint64_t size : sizes) {
    EXPECT_NE(std::find(published.begin(), published.end(), size),
              published.end())
        << size;
  }
  EXPECT_GT(sizes.size(), 1u);

  // The head and a page verify against the output log's checkpoint.
  absl::StatusOr<HostedHead> head = (*host)->Head("m1");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->input_size, published.back());
  EXPECT_FALSE(head->output_checkpoint.empty());
  absl::StatusOr<vindex::ModelPage> page =
      (*host)->Page("m1", head->head.value.count, head->input_size, 0, 1000,
                    std::nullopt, SIZE_MAX);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->list.size(), head->head.value.count);
}

}  // namespace
}  // namespace api::index
