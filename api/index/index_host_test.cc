// The index a ledger server hosts: caught up from the served ledger's own
// published checkpoints, a long catch-up in bounded steps that each stop at
// a published checkpoint, answers (head and pages) that verify.
#include "api/index/index_host.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/model_page.h"
#include "index/testonly/model_log.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"

namespace api::index {
namespace {

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
  auto out = ledger::testonly::LedgerFixture::Create("test.example/index");
  ASSERT_TRUE(out.ok());
  auto signer = (*out)->EnrolNewKey(aifl::ledger::v1::ROLE_RULES);
  ASSERT_TRUE(signer.ok());
  const std::string dir = (*out)->dir();
  (*out)->Close();
  OpenedOutputLog output;
  ledger::LedgerOptions options;
  options.dir = dir;
  output.ledger = *ledger::Ledger::Open(options);
  output.log =
      *vindex::OutputLog::Create(output.ledger.get(), std::move(*signer));
  auto host = IndexHost::Open((*in)->ledger(), std::move(output),
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
