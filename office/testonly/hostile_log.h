// HostileLog: a factory log under a test's control, served over real HTTP
// on loopback (api/tiles_http's TileHandler and libmicrohttpd server). Its
// leaves come from a real ledger (genuine enrolments, sequences and
// signatures) and its checkpoints are signed with that ledger's own log key,
// but what it serves is whatever the test says: the honest log, a prefix of
// it (a rollback), other leaves at the same size (a fork), a leaf that is not
// admissible, or tiles changed on the way out (`tamper`). It counts the
// entry bundles fetched, so tests can show what a follower re-reads.
//
// Thread-safe (the HTTP threads read what the test thread changes).
#ifndef OFFICE_TESTONLY_HOSTILE_LOG_H_
#define OFFICE_TESTONLY_HOSTILE_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "ledger/entry_signer.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/tile_source.h"

namespace office::testonly {

class HostileLog : public ledger::tiles::TileSource {
 public:
  // A fresh ledger of `origin` with a collector key enrolled, served empty
  // of nothing but its genesis leaves. `cache_bytes`: the tile handler's
  // cache of full tiles and bundles as sent (TileHandlerOptions), for a log
  // that only grows (a cached tile is never asked again); 0, for tests that
  // serve other histories: every request is asked of this log
  // (BundlesServed, set_tamper).
  static absl::StatusOr<std::unique_ptr<HostileLog>> Create(
      const std::string& origin = "factory-a.example/log",
      size_t cache_bytes = 0);
  ~HostileLog() override;

  // Appends `n` collector entries to the honest ledger (not served yet).
  absl::Status Grow(int n);
  // Every leaf of the honest ledger.
  absl::StatusOr<std::vector<std::string>> LedgerLeaves();
  // Serves the honest ledger's first `size` leaves (all: -1).
  absl::Status ServeLedger(int64_t size = -1);
  // Serves exactly `leaves`, with a checkpoint signed by the log key.
  absl::Status Serve(std::vector<std::string> leaves);
  // The note currently served.
  std::string note() const;

  // A leaf signed by a key never enrolled, integrated after the last leaf.
  absl::StatusOr<std::string> UnenrolledLeaf();
  // The next honest collector leaf with one bit of its signature flipped
  // (admissible, but its signature does not verify).
  absl::StatusOr<std::string> BadSignatureLeaf();
  // `leaf` with one bit of its envelope's signature flipped.
  static absl::StatusOr<std::string> WithBadSignature(const std::string& leaf);

  const std::string& url() const { return url_; }  // no trailing '/'
  std::string vkey() { return fixture_->ledger().VerifierKey(); }
  const std::string& origin() const { return origin_; }

  // Cosigns every checkpoint served from now on with `cosigner` (not owned;
  // nullptr: none), as a log publishing its witnesses' cosignatures does.
  void set_cosigner(const ledger::note::Cosigner* cosigner);

  // Changes answers on the way out (by tile path, e.g. "tile/entries/000").
  void set_tamper(std::function<void(const std::string&, std::string&)> f);
  // Entry bundles served so far, by index (one count per request).
  std::vector<uint64_t> BundlesServed() const;
  void ClearBundlesServed();

  // TileSource.
  absl::StatusOr<ledger::tiles::PublishedCheckpoint> LatestCheckpoint()
      override;
  absl::StatusOr<std::string> ReadTile(const ledger::tiles::TileId& tile,
                                       uint64_t size) override;

 private:
  HostileLog() = default;

  std::string origin_;
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  std::unique_ptr<ledger::note::NoteSigner> log_signer_;
  std::unique_ptr<api::tiles_http::TileHandler> handler_;
  std::unique_ptr<api::tiles_http::TileHttpServer> server_;
  std::string url_;
  int grown_ = 0;
  const ledger::note::Cosigner* cosigner_ = nullptr;

  mutable absl::Mutex mu_;
  std::vector<std::string> leaves_ ABSL_GUARDED_BY(mu_);
  ledger::merkle::InMemoryTree tree_ ABSL_GUARDED_BY(mu_);
  std::string note_ ABSL_GUARDED_BY(mu_);
  std::function<void(const std::string&, std::string&)> tamper_
      ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> bundles_served_ ABSL_GUARDED_BY(mu_);
};

}  // namespace office::testonly

#endif  // OFFICE_TESTONLY_HOSTILE_LOG_H_
