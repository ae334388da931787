#include "api/tiles_http/tile_handler.h"

#include <zlib.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/tiles/testonly/in_memory_tile_source.h"
#include "ledger/tiles/tiles.h"

namespace api::tiles_http {
namespace {

using FakeSource = ledger::tiles::testonly::InMemoryTileSource;

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = in.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

class TileHandlerTest : public ::testing::Test {
 protected:
  HttpResponse Get(const std::string& path, const std::string& method = "GET",
                   const std::string& if_none_match = "",
                   const std::string& accept_encoding = "") {
    return handler_.Handle(
        HttpRequest{method, path, if_none_match, accept_encoding});
  }
  FakeSource source_{70000};
  TileHandler handler_{&source_, TileHandlerOptions{}};
};

TEST_F(TileHandlerTest, ServesTheCheckpointAsShortLivedText) {
  HttpResponse r = Get("/checkpoint");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "test\n70000\nROOT\n\n— test sig\n");
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=5");
  EXPECT_FALSE(r.Header("ETag").empty());
}

// The log-key handover extension: the note as the source keeps it,
// immutable text; a source without handovers answers 404; anything but a
// decimal number from 1 (no leading zero) is 400, before the source is
// asked.
class HandoverSource final : public FakeSource {
 public:
  HandoverSource() : FakeSource(10) {}
  absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) override {
    ++asked_;
    if (epoch != 1) return FakeSource::LogKeyHandover(epoch);
    return std::string("test\n5\nROOT\n\n— test old\n— test new\n");
  }
  int asked_ = 0;
};

TEST(TileHandlerHandoverTest, ServesHandoverCheckpointsAsImmutableText) {
  HandoverSource source;
  TileHandler handler(&source, TileHandlerOptions{});
  auto get = [&](const std::string& path) {
    return handler.Handle(HttpRequest{"GET", path, "", ""});
  };
  const HttpResponse r = get("/log-key-handover/1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "test\n5\nROOT\n\n— test old\n— test new\n");
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/log-key-handover/2").status, 404);
  EXPECT_EQ(source.asked_, 2);
  for (const char* bad :
       {"/log-key-handover/", "/log-key-handover/0", "/log-key-handover/01",
        "/log-key-handover/1x", "/log-key-handover/-1",
        "/log-key-handover/99999999999999999999"}) {
    EXPECT_EQ(get(bad).status, 400) << bad;
  }
  EXPECT_EQ(source.asked_, 2);
  // Without the extension (the default TileSource): 404.
  FakeSource plain(10);
  TileHandler without(&plain, TileHandlerOptions{});
  EXPECT_EQ(
      without.Handle(HttpRequest{"GET", "/log-key-handover/1", "", ""}).status,
      404);
}

TEST_F(TileHandlerTest, FullTilesAreImmutablePartialTilesShortLived) {
  HttpResponse full = Get("/tile/0/272");
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(full.body.size(), 256u * 32);
  EXPECT_EQ(full.Header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(full.Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(full.Header("Vary"), "");

  HttpResponse partial = Get("/tile/0/273.p/112");
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(partial.body.size(), 112u * 32);
  EXPECT_EQ(partial.Header("Cache-Control"), "public, max-age=5");
  // The partial tile is a prefix of what the full tile will be.
  EXPECT_EQ(Get("/tile/1/000.p/17").body.size(), 17u * 32);
  EXPECT_EQ(Get("/tile/2/000.p/1").status, 200);
  EXPECT_EQ(Get("/tile/1/000").status, 200);
}

TEST_F(TileHandlerTest, LevelZeroHashesAreLeafHashesOfTheBundle) {
  HttpResponse tile = Get("/tile/0/001");
  HttpResponse bundle = Get("/tile/entries/001");
  ASSERT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.Header("Vary"), "Accept-Encoding");
  EXPECT_EQ(bundle.Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  auto leaves = ledger::tiles::ParseEntryBundle(bundle.body);
  ASSERT_TRUE(leaves.ok());
  ASSERT_EQ(leaves->size(), 256u);
  EXPECT_EQ((*leaves)[0], "leaf 256");
  const ledger::merkle::Hash h = ledger::merkle::HashLeaf((*leaves)[5]);
  EXPECT_EQ(tile.body.substr(5 * 32, 32),
            std::string(reinterpret_cast<const char*>(h.data()), 32));
}

TEST_F(TileHandlerTest, GzipsBundlesOnlyWhenAccepted) {
  const HttpResponse plain = Get("/tile/entries/000");
  HttpResponse gz = Get("/tile/entries/000", "GET", "", "br, gzip;q=0.8");
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.Header("Vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), plain.body.size());
  EXPECT_EQ(Gunzip(gz.body), plain.body);
  EXPECT_NE(gz.Header("ETag"), plain.Header("ETag"));
  EXPECT_EQ(Get("/tile/entries/000", "GET", "", "gzip;q=0")
                .Header("Content-Encoding"),
            "");
  EXPECT_EQ(Get("/tile/entries/000", "GET", "", "identity")
                .Header("Content-Encoding"),
            "");
  // Hash tiles are random bytes: never compressed.
  EXPECT_EQ(Get("/tile/0/000", "GET", "", "gzip").Header("Content-Encoding"),
            "");
}

TEST_F(TileHandlerTest, IfNoneMatchAnswers304) {
  const HttpResponse first = Get("/tile/0/000");
  const std::string etag = first.Header("ETag");
  ASSERT_EQ(etag.size(), 66u);  // quoted 64 hex digits
  HttpResponse again = Get("/tile/0/000", "GET", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("ETag"), etag);
  EXPECT_EQ(again.Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/tile/0/000", "GET", "\"x\", W/" + etag).status, 304);
  EXPECT_EQ(Get("/tile/0/000", "GET", "*").status, 304);
  EXPECT_EQ(Get("/tile/0/000", "GET", "\"other\"").status, 200);
  EXPECT_EQ(Get("/tile/0/000", "HEAD", etag).status, 304);
}

TEST_F(TileHandlerTest, HeadHasTheHeadersAndLengthOfGet) {
  const HttpResponse get = Get("/tile/entries/273.p/112");
  HttpResponse head = Get("/tile/entries/273.p/112", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.head);
  EXPECT_FALSE(get.head);
  EXPECT_EQ(head.headers, get.headers);
  EXPECT_EQ(head.body.size(), get.body.size());
}

TEST_F(TileHandlerTest, MalformedPathsAre400) {
  for (const char* path :
       {"/tile/0/../checkpoint", "/tile/00/000", "/tile/0/0000", "/tile/0/1",
        "/tile/0/000.p/0", "/tile/0/000.p/256", "/tile/0/000.p/007",
        "/tile/64/000", "/tile/0/x99999999999999999999/000", "/tile/0/abc",
        "/tile/entries/000.p/", "/tile/", "/tile/0/-01"}) {
    HttpResponse r = Get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  }
  EXPECT_EQ(Get("/tile/0/" + std::string(300, '0')).status, 400);
}

TEST_F(TileHandlerTest, TilesBeyondTheTreeAndUnknownPathsAre404) {
  for (const char* path :
       {"/tile/0/274", "/tile/0/273", "/tile/0/273.p/113", "/tile/1/001",
        "/tile/2/000", "/tile/3/000.p/1", "/tile/entries/274",
        "/tile/entries/273.p/200", "/", "/index.html", "/checkpoint/"}) {
    EXPECT_EQ(Get(path).status, 404) << path;
  }
}

TEST_F(TileHandlerTest, OtherMethodsAre405) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    HttpResponse r = Get("/checkpoint", method);
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  }
}

TEST_F(TileHandlerTest, CachedFullTilesAreServedAsBefore) {
  const HttpResponse first = Get("/tile/entries/001", "GET", "", "gzip");
  const HttpResponse again = Get("/tile/entries/001", "GET", "", "gzip");
  EXPECT_EQ(again.headers, first.headers);
  EXPECT_EQ(again.body, first.body);
  // The identity variant is cached apart from the gzip one.
  const HttpResponse plain = Get("/tile/entries/001");
  EXPECT_EQ(plain.Header("Content-Encoding"), "");
  EXPECT_EQ(Gunzip(first.body), plain.body);
  EXPECT_EQ(Get("/tile/entries/001", "GET", plain.Header("ETag")).status, 304);
}

TEST(TileHandlerEmptyLogTest, NoCheckpointYetIs404) {
  FakeSource empty(0);
  TileHandler handler(&empty, TileHandlerOptions{});
  EXPECT_EQ(handler.Handle(HttpRequest{"GET", "/checkpoint", "", ""}).status,
            404);
  EXPECT_EQ(
      handler.Handle(HttpRequest{"GET", "/tile/0/000.p/1", "", ""}).status,
      404);
}

TEST(TileHandlerOversizedLeafTest, ABundleWithALeafOverTheLimitIs500) {
  FakeSource source(20, 70000);
  TileHandler handler(&source, TileHandlerOptions{});
  HttpResponse r =
      handler.Handle(HttpRequest{"GET", "/tile/entries/000.p/20", "", ""});
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("leaf 7"), std::string::npos);
  EXPECT_EQ(
      handler.Handle(HttpRequest{"GET", "/tile/0/000.p/20", "", ""}).status,
      200);
}

}  // namespace
}  // namespace api::tiles_http
