// TilesLogReader against a real ledger served over real HTTP on loopback
// (LedgerTileSource → TileHandler → libmicrohttpd), read with libcurl; a
// wrapper source changes chosen bytes to show that every tampering is
// caught and named.
#include "api/client/tiles_log_reader.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/curl_http_getter.h"
#include "api/client/log_audit.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "ledger/tiles/tile_path.h"
#include "ledger/tiles/tiles.h"

namespace api::client {
namespace {

using ledger::merkle::Hash;
using ledger::tiles::TileId;
using ledger::tiles::TilePath;
using ::testing::HasSubstr;

constexpr char kBlob[] = "aifl.collector.v1.Blob";

// Serves the ledger's tiles, with `tamper` applied to each answer (by path)
// and an optional stale checkpoint note in place of the latest.
class TamperingSource : public ledger::tiles::TileSource {
 public:
  explicit TamperingSource(const ledger::Ledger* ledger) : inner_(ledger) {}

  absl::StatusOr<ledger::tiles::PublishedCheckpoint> LatestCheckpoint()
      override {
    if (!stale_note.empty()) {
      return ledger::tiles::PublishedCheckpoint{stale_note, stale_size};
    }
    return inner_.LatestCheckpoint();
  }
  absl::StatusOr<std::string> ReadTile(const TileId& tile,
                                       uint64_t size) override {
    absl::StatusOr<std::string> body = inner_.ReadTile(tile, size);
    if (body.ok() && tamper) tamper(TilePath(tile), *body);
    return body;
  }

  std::function<void(const std::string& path, std::string& body)> tamper;
  std::string stale_note;
  uint64_t stale_size = 0;

 private:
  ledger::tiles::LedgerTileSource inner_;
};

class TilesLogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = ledger::testonly::LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
    source_ = std::make_unique<TamperingSource>(&f_->ledger());
    api::tiles_http::TileHandlerOptions handler_options;
    handler_options.cache_bytes = 0;  // every answer passes the tamperer
    handler_ = std::make_unique<api::tiles_http::TileHandler>(source_.get(),
                                                              handler_options);
    auto server = api::tiles_http::TileHttpServer::Start(handler_.get(), {});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    url_ = absl::StrCat("http://127.0.0.1:", server_->port(), "/");
    auto checkpoint = f_->ledger().LatestCheckpoint();
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
    vkey_ = f_->ledger().VerifierKey();
  }

  // Appends `n` entries (sizes vary, up to ~1 KB) and publishes a checkpoint.
  void Grow(int n) {
    std::vector<std::string> envelopes;
    for (int i = 0; i < n; ++i) {
      auto envelope = collector_->SignNext(
          kBlob, std::string(1 + (i * 37) % 1000, 'a' + i % 26));
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      envelopes.push_back(*envelope);
    }
    for (const ledger::AppendResult& r : f_->ledger().Append(envelopes)) {
      ASSERT_TRUE(r.status.ok()) << r.status;
    }
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  }

  std::unique_ptr<TilesLogReader> Reader(std::string trusted_dir = "") {
    auto http = CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok()) << http.status();
    TilesLogReaderOptions options;
    options.trusted_store_dir = std::move(trusted_dir);
    options.max_cached_tiles = 4;  // small, so eviction is exercised
    auto reader =
        TilesLogReader::Create(url_, vkey_, std::move(*http), options);
    EXPECT_TRUE(reader.ok()) << reader.status();
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> f_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  std::unique_ptr<TamperingSource> source_;
  std::unique_ptr<api::tiles_http::TileHandler> handler_;
  std::unique_ptr<api::tiles_http::TileHttpServer> server_;
  std::string url_;
  std::string vkey_;
};

TEST_F(TilesLogReaderTest, ReadsEveryLeafAndProofAsTheLedgerHasThem) {
  Grow(70'000 / 100);  // 700 + enrolment leaves: two full bundles, a partial
  auto reader = Reader();
  auto checkpoint = reader->LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  const uint64_t size = f_->ledger().Size();
  ASSERT_EQ(checkpoint->fields.size, size);
  EXPECT_EQ(checkpoint->note, *f_->ledger().LatestCheckpoint());
  EXPECT_EQ(reader->Source(), "tiles " + url_.substr(0, url_.size() - 1));
  auto want = f_->ledger().GetLeaves(0, size);
  ASSERT_TRUE(want.ok()) << want.status();
  for (uint64_t start = 0; start < size;) {
    auto leaves = reader->ReadLeaves(*checkpoint, start, 1000);
    ASSERT_TRUE(leaves.ok()) << leaves.status();
    ASSERT_FALSE(leaves->empty());
    for (const VerifiedLeaf& leaf : *leaves) {
      ASSERT_EQ(leaf.index, start);
      ASSERT_EQ(leaf.leaf, (*want)[start]) << start;
      ++start;
    }
  }
  for (uint64_t index :
       {uint64_t{0}, uint64_t{255}, uint64_t{256}, uint64_t{513}, size - 1}) {
    auto proven = reader->ProveLeaf(*checkpoint, index);
    ASSERT_TRUE(proven.ok()) << index << ": " << proven.status();
    EXPECT_EQ(proven->leaf, (*want)[index]);
    EXPECT_EQ(proven->proof, *f_->ledger().InclusionProof(index, size));
  }
  EXPECT_EQ(reader->ReadLeaves(*checkpoint, size, 1).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(reader->CheckpointAt(size)->note, checkpoint->note);
  EXPECT_EQ(reader->CheckpointAt(size - 1).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(TilesLogReaderTest, FollowsGrowthWithConsistencyProofsFromTiles) {
  Grow(300);
  auto reader = Reader();
  auto older = reader->LatestCheckpoint();
  ASSERT_TRUE(older.ok()) << older.status();
  Grow(500);
  auto newer = reader->LatestCheckpoint();  // consistency checked inside
  ASSERT_TRUE(newer.ok()) << newer.status();
  ASSERT_GT(newer->fields.size, older->fields.size);
  auto proof = reader->ProveConsistency(*older, *newer);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(*proof, *f_->ledger().ConsistencyProof(older->fields.size,
                                                   newer->fields.size));
  // The older checkpoint is still readable: proven a prefix of the newer
  // tree, then served from its tiles (its own partial tiles may be gone).
  auto proven = reader->ProveLeaf(*older, older->fields.size - 1);
  ASSERT_TRUE(proven.ok()) << proven.status();
  EXPECT_EQ(proven->proof, *f_->ledger().InclusionProof(older->fields.size - 1,
                                                        older->fields.size));
}

// Tiles hold every node: the tree of any size up to the latest checkpoint is
// computed from them (unsigned), and proofs at it are the ledger's own.
TEST_F(TilesLogReaderTest, ComputesTheTreeOfAnyOlderSizeFromTiles) {
  Grow(700);
  auto reader = Reader();
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  const uint64_t size = latest->fields.size;
  for (uint64_t n : {uint64_t{1}, uint64_t{255}, uint64_t{256}, uint64_t{300},
                     uint64_t{513}, size - 1}) {
    auto tree = reader->TreeAt(n);
    ASSERT_TRUE(tree.ok()) << n << ": " << tree.status();
    EXPECT_EQ(tree->fields.size, n);
    EXPECT_EQ(tree->fields.root, *f_->ledger().RootAt(n)) << n;
    EXPECT_EQ(tree->note, "") << "no signature exists for size " << n;
    auto proof = reader->ProveConsistency(*tree, *latest);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, *f_->ledger().ConsistencyProof(n, size));
    auto proven = reader->ProveLeaf(*tree, n - 1);
    ASSERT_TRUE(proven.ok()) << proven.status();
    EXPECT_EQ(proven->proof, *f_->ledger().InclusionProof(n - 1, n));
  }
  auto older = reader->TreeAt(256);
  auto newer = reader->TreeAt(513);
  ASSERT_TRUE(older.ok() && newer.ok());
  auto between = reader->ProveConsistency(*older, *newer);
  ASSERT_TRUE(between.ok()) << between.status();
  EXPECT_EQ(*between, *f_->ledger().ConsistencyProof(256, 513));
  EXPECT_EQ(reader->TreeAt(size)->note, latest->note);
  EXPECT_EQ(reader->TreeAt(size + 1).status().code(),
            absl::StatusCode::kOutOfRange);
}

// A changed hash tile under an older size's frontier is refused, naming it,
// before any root is computed from it.
TEST_F(TilesLogReaderTest, AChangedTileUnderAnOlderSizeIsNamed) {
  Grow(700);
  source_->tamper = [](const std::string& path, std::string& body) {
    if (path == "tile/0/001") body[40] ^= 1;  // leaf hash 257
  };
  auto reader = Reader();
  ASSERT_TRUE(reader->LatestCheckpoint().ok());
  auto tree = reader->TreeAt(300);
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(tree.status().message(),
              HasSubstr("hash tile " + url_ + "tile/0/001 does not match"));
}

TEST_F(TilesLogReaderTest, AChangedEntryIsNamedByLeafAndBundle) {
  Grow(600);
  source_->tamper = [](const std::string& path, std::string& body) {
    if (path == "tile/entries/001") body[2 + 10] ^= 1;  // inside leaf 256
  };
  auto reader = Reader();
  auto checkpoint = reader->LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  ASSERT_TRUE(reader->ReadLeaves(*checkpoint, 0, 256).ok());
  auto leaves = reader->ReadLeaves(*checkpoint, 300, 10);
  EXPECT_EQ(leaves.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(leaves.status().message(),
              HasSubstr("leaf 256 of entry bundle " + url_ +
                        "tile/entries/001 does not match its hash in " + url_ +
                        "tile/0/001"));
  // The full audit reports it as its finding.
  auto report = AuditLog(*reader, *checkpoint);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok);
  EXPECT_THAT(report->problem, HasSubstr("leaf 256 of entry bundle"));
}

TEST_F(TilesLogReaderTest, AChangedHashTileIsNamed) {
  Grow(600);
  source_->tamper = [](const std::string& path, std::string& body) {
    if (path == "tile/0/000") body[40] ^= 1;  // leaf hash 1
  };
  auto reader = Reader();
  auto checkpoint = reader->LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  auto proven = reader->ProveLeaf(*checkpoint, 3);
  EXPECT_EQ(proven.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(proven.status().message(),
              HasSubstr("hash tile " + url_ +
                        "tile/0/000 does not match the tree of size"));
}

TEST_F(TilesLogReaderTest, AChangedPartialTileDoesNotGiveTheRoot) {
  Grow(600);
  const uint64_t size = f_->ledger().Size();
  const std::string partial = TilePath(
      TileId{false, 0, size / 256, ledger::tiles::PartialWidth(size, 0)});
  source_->tamper = [partial](const std::string& path, std::string& body) {
    if (path == partial) body[0] ^= 1;
  };
  auto checkpoint = Reader()->LatestCheckpoint();
  EXPECT_EQ(checkpoint.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(checkpoint.status().message(),
              HasSubstr("do not give the checkpoint's root"));
}

TEST_F(TilesLogReaderTest, ARollbackIsRefusedAcrossRestartsWithAStore) {
  Grow(100);
  const std::string old_note = *f_->ledger().LatestCheckpoint();
  const uint64_t old_size = f_->ledger().Size();
  Grow(100);
  const std::string dir = ledger::testonly::FreshDir("trusted");
  ASSERT_TRUE(Reader(dir)->LatestCheckpoint().ok());
  source_->stale_note = old_note;
  source_->stale_size = old_size;
  auto checkpoint = Reader(dir)->LatestCheckpoint();
  EXPECT_EQ(checkpoint.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(checkpoint.status().message(),
              HasSubstr("rolled back from size"));
}

TEST_F(TilesLogReaderTest, AnotherLogsKeyIsRefused) {
  Grow(10);
  auto other = ledger::testonly::LedgerFixture::Create();
  ASSERT_TRUE(other.ok()) << other.status();
  vkey_ = (*other)->ledger().VerifierKey();
  auto checkpoint = Reader()->LatestCheckpoint();
  EXPECT_EQ(checkpoint.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(checkpoint.status().message(), HasSubstr("/checkpoint: "));
}

TEST_F(TilesLogReaderTest, HttpFailuresAreUnavailableNamingTheUrl) {
  url_ = "http://127.0.0.1:1/log";  // nothing listens on port 1
  auto checkpoint = Reader()->LatestCheckpoint();
  EXPECT_EQ(checkpoint.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(checkpoint.status().message(),
              HasSubstr("GET http://127.0.0.1:1/log/checkpoint"));
  auto http = CurlHttpGetter::Create();
  EXPECT_EQ(TilesLogReader::Create("ftp://x", vkey_, std::move(*http))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TilesLogReaderTest, AuditsTheWholeLogFromTiles) {
  Grow(1000);
  auto reader = Reader();
  auto checkpoint = reader->LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  auto report = AuditLog(*reader, *checkpoint);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, f_->ledger().Size());
  EXPECT_EQ(report->root, *f_->ledger().RootAt(f_->ledger().Size()));
}

}  // namespace
}  // namespace api::client
