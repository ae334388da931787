// ServerHttpHandler's routing without a server: the log's tiles at the root,
// the index's output log under /index/ (the prefix stripped), /metrics, and
// 404 for /index/... when no index is hosted.
#include "api/server/server_http_handler.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

using ::testing::HasSubstr;

// A log of one entry whose checkpoint note names `origin`; every tile
// request answers its id.
class NamedSource : public ledger::tiles::TileSource {
 public:
  explicit NamedSource(std::string origin) : origin_(std::move(origin)) {}
  absl::StatusOr<ledger::tiles::PublishedCheckpoint> LatestCheckpoint()
      override {
    return ledger::tiles::PublishedCheckpoint{absl::StrCat(origin_, "\n1\n"),
                                              1};
  }
  absl::StatusOr<std::string> ReadTile(const ledger::tiles::TileId&,
                                       uint64_t) override {
    return std::string(32, 'h');
  }

 private:
  const std::string origin_;
};

tiles_http::HttpResponse Get(const ServerHttpHandler& h,
                             const std::string& path) {
  return h.Handle({"GET", path, "", ""});
}

TEST(ServerHttpHandlerTest, ServesTheIndexUnderItsPrefix) {
  NamedSource log("factory.example/log"), index("factory.example/index");
  ServerMetrics metrics("dev");
  ServerHttpHandler h(&log, &index, &metrics, {});
  EXPECT_EQ(Get(h, "/checkpoint").body, "factory.example/log\n1\n");
  EXPECT_EQ(Get(h, "/index/checkpoint").body, "factory.example/index\n1\n");
  EXPECT_EQ(Get(h, "/index/tile/0/000.p/1").status, 200);
  EXPECT_EQ(Get(h, "/index/tile/0/000.p/1").body.size(), 32u);
  EXPECT_EQ(h.index_tiles(), &index);
  EXPECT_EQ(h.log_tiles(), &log);
  EXPECT_EQ(Get(h, "/metrics").status, 200);
  EXPECT_THAT(Get(h, "/metrics").body, HasSubstr("aifl_ledger_tree_size"));
  // Only the exact prefix and a slash; nothing else is the index's.
  EXPECT_EQ(Get(h, "/index").status, 404);
  EXPECT_EQ(Get(h, "/indexcheckpoint").status, 404);
  EXPECT_EQ(Get(h, "/index/metrics").status, 404);
  EXPECT_EQ(Get(h, "/index/index/checkpoint").status, 404);
}

TEST(ServerHttpHandlerTest, WithoutAnIndexTheIndexPathsAreUnknown) {
  NamedSource log("factory.example/log");
  ServerHttpHandler h(&log, nullptr, nullptr, {});
  EXPECT_EQ(Get(h, "/checkpoint").status, 200);
  EXPECT_EQ(Get(h, "/index/checkpoint").status, 404);
  EXPECT_EQ(h.index_tiles(), nullptr);
  // No metrics given: /metrics is an unknown tile path.
  EXPECT_EQ(Get(h, "/metrics").status, 404);
}

}  // namespace
}  // namespace api::server
