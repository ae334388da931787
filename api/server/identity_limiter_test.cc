#include "api/server/identity_limiter.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(IdentityLimiterTest, OneIdentityCannotTakeMoreThanItsShare) {
  IdentityLimiter limiter("streams", 2);
  auto a = limiter.TryAcquire("flooder");
  auto b = limiter.TryAcquire("flooder");
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = limiter.TryAcquire("flooder");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(c.status().message().find("\"flooder\""), std::string::npos);
  EXPECT_TRUE(limiter.TryAcquire("honest").ok());
  a->reset();  // a finished stream returns its slot
  EXPECT_TRUE(limiter.TryAcquire("flooder").ok());
}

TEST(IdentityLimiterTest, BytesAreBoundedForAll) {
  IdentityLimiter limiter("queue", 100, 1000);
  auto big = limiter.TryAcquire("a", 900);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(limiter.TryAcquire("b", 200).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(limiter.TryAcquire("b", 100).ok());
  EXPECT_EQ(limiter.held_bytes(), 900u);  // the temporary lease is gone
  big->reset();
  EXPECT_EQ(limiter.held_bytes(), 0u);
  EXPECT_EQ(limiter.held("a"), 0u);
}

}  // namespace
}  // namespace api::server
