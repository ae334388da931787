#include "api/server/descriptor_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(DescriptorBudgetTest, RaisesTheSoftLimitToTheHardOne) {
  struct rlimit limit;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 128);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  auto budget = RaiseDescriptorLimit();
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget->limit, static_cast<uint64_t>(limit.rlim_max));
  EXPECT_GT(budget->open, 2u);  // at least stdin, stdout, stderr
}

TEST(DescriptorBudgetTest, RefusesWhenTooFewRemain) {
  auto budget = CurrentDescriptorBudget();
  ASSERT_TRUE(budget.ok());
  EXPECT_TRUE(CheckDescriptorReserve(budget->free() / 2).ok());
  absl::Status short_of = CheckDescriptorReserve(budget->free() + 10);
  EXPECT_EQ(short_of.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(short_of.message().find("--fd_reserve"), std::string::npos);
  // Counting is exact: one more descriptor open, one fewer free.
  const int fd = ::dup(1);
  auto after = CurrentDescriptorBudget();
  EXPECT_EQ(after->open, budget->open + 1);
  ::close(fd);
}

}  // namespace
}  // namespace api::server
