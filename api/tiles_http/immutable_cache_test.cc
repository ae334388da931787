#include "api/tiles_http/immutable_cache.h"

#include "gtest/gtest.h"

namespace api::tiles_http {
namespace {

std::shared_ptr<const CachedBody> Body(size_t n) {
  return std::make_shared<CachedBody>(CachedBody{std::string(n, 'x'), "e"});
}

TEST(ImmutableCacheTest, EvictsTheOldestToStayWithinItsBudget) {
  ImmutableCache cache(300);
  cache.Put("a", Body(99));
  cache.Put("b", Body(99));
  cache.Put("c", Body(99));
  EXPECT_NE(cache.Get("a"), nullptr);
  cache.Put("d", Body(99));  // 400 > 300: "a" goes
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_NE(cache.Get("b"), nullptr);
  EXPECT_NE(cache.Get("d"), nullptr);
  cache.Put("huge", Body(1000));  // over the budget: not stored
  EXPECT_EQ(cache.Get("huge"), nullptr);
  EXPECT_NE(cache.Get("d"), nullptr);
}

TEST(ImmutableCacheTest, ZeroBudgetCachesNothing) {
  ImmutableCache cache(0);
  cache.Put("a", Body(1));
  EXPECT_EQ(cache.Get("a"), nullptr);
}

}  // namespace
}  // namespace api::tiles_http
