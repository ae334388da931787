// TilesLogReader across log-key rotations, over real loopback HTTP: a real
// ledger (RocksDB, real signatures) rotates its log key (the admin-signed
// LogKey and the handover both keys sign, as `ledgerctl rotate-log-key`
// does) and goes on publishing checkpoints the new key alone signs; its
// tiles and handovers are served by the ledger_server's own handler. A
// reader configured with the first key follows each rotation through
// `/log-key-handover/<E>`, keeps the new key in its trusted store (a new
// reader over the same store starts from it), and a fresh reader follows
// two rotations at once, from the server or from a static copy written by
// PublishTiles (`ledgerctl publish`). Without the endpoint the signature
// failure stands.
#include <memory>
#include <string>

#include "api/client/curl_http_getter.h"
#include "api/client/tiles_log_reader.h"
#include "api/tiles_http/testonly/served_ledger.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"

namespace api::client {
namespace {

class TilesLogReaderRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto served =
        api::tiles_http::testonly::ServedLedger::Start("reader-r.example/log");
    ASSERT_TRUE(served.ok()) << served.status();
    served_ = std::move(*served);
    url_ = served_->url();
    store_ = ledger::testonly::FreshDir("reader-rotation-trust");
  }

  void Grow(int n) { ASSERT_TRUE(served_->Grow(n).ok()); }
  void Rotate() { ASSERT_TRUE(served_->Rotate().ok()); }

  // A reader configured with the log's first key; `store`: keep trust there.
  std::unique_ptr<TilesLogReader> Reader(bool store) {
    auto http = CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok()) << http.status();
    TilesLogReaderOptions options;
    if (store) options.trusted_store_dir = store_;
    auto reader = TilesLogReader::Create(url_, served_->first_vkey(),
                                         std::move(*http), std::move(options));
    EXPECT_TRUE(reader.ok()) << reader.status();
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  // The reader's latest checkpoint is the ledger's, and its last leaf reads.
  void ExpectCaughtUp(TilesLogReader& reader) {
    auto latest = reader.LatestCheckpoint();
    ASSERT_TRUE(latest.ok()) << latest.status();
    EXPECT_EQ(latest->fields.size, served_->ledger().Size());
    EXPECT_EQ(latest->note, *served_->ledger().LatestCheckpoint());
    auto leaf = reader.ProveLeaf(*latest, latest->fields.size - 1);
    ASSERT_TRUE(leaf.ok()) << leaf.status();
    EXPECT_EQ(leaf->leaf, *served_->ledger().GetLeaf(latest->fields.size - 1));
  }

  std::unique_ptr<api::tiles_http::testonly::ServedLedger> served_;
  std::string url_;
  std::string store_;
};

TEST_F(TilesLogReaderRotationTest, FollowsEachRotationAndKeepsTheNewKey) {
  Grow(300);
  auto reader = Reader(/*store=*/true);
  ASSERT_NE(reader, nullptr);
  ExpectCaughtUp(*reader);
  Rotate();
  Grow(120);
  ExpectCaughtUp(*reader);
  Rotate();
  Grow(40);
  ExpectCaughtUp(*reader);

  // A new reader over the same store starts from the key it followed to:
  // with the handovers hidden it still verifies the newest checkpoint.
  served_->set_handovers(false);
  reader = Reader(/*store=*/true);
  ASSERT_NE(reader, nullptr);
  Grow(10);
  ExpectCaughtUp(*reader);
}

TEST_F(TilesLogReaderRotationTest, AFreshReaderFollowsTwoRotationsAtOnce) {
  Grow(100);
  Rotate();
  Grow(50);
  Rotate();
  Grow(20);
  auto reader = Reader(/*store=*/false);
  ASSERT_NE(reader, nullptr);
  ExpectCaughtUp(*reader);
}

// `ledgerctl publish`'s static copy carries the handovers: the reader
// follows both rotations from plain files.
TEST_F(TilesLogReaderRotationTest, FollowsRotationsOverAStaticCopy) {
  Grow(100);
  Rotate();
  Grow(50);
  Rotate();
  Grow(20);
  auto url = served_->PublishStatic();
  ASSERT_TRUE(url.ok()) << url.status();
  url_ = *url;
  auto reader = Reader(/*store=*/false);
  ASSERT_NE(reader, nullptr);
  ExpectCaughtUp(*reader);
}

TEST_F(TilesLogReaderRotationTest,
       WithoutTheHandoverTheSignatureFailureStands) {
  Grow(30);
  auto reader = Reader(/*store=*/false);
  ASSERT_NE(reader, nullptr);
  ExpectCaughtUp(*reader);
  served_->set_handovers(false);
  Rotate();
  Grow(10);
  auto latest = reader->LatestCheckpoint();
  EXPECT_EQ(latest.status().code(), absl::StatusCode::kDataLoss)
      << latest.status();
  served_->set_handovers(true);
  ExpectCaughtUp(*reader);
}

}  // namespace
}  // namespace api::client
