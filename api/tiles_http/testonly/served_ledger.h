// A real ledger (ledger/testonly/ledger_fixture.h: RocksDB, real signatures)
// with an enrolled collector key, served over loopback HTTP by the
// ledger_server's own tiles handler (its log-key handovers can be hidden, as
// a server without the extension), and optionally published as a static
// copy (PublishTiles, `ledgerctl publish`) served as plain files, the way
// nginx serves one. For tests of readers that follow a log over tiles,
// across log-key rotations. Not thread-safe (the servers are).
#ifndef API_TILES_HTTP_TESTONLY_SERVED_LEDGER_H_
#define API_TILES_HTTP_TESTONLY_SERVED_LEDGER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/tiles_http/http_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/testonly/handover_switch_source.h"

namespace api::tiles_http::testonly {

class ServedLedger {
 public:
  // A new ledger of `origin`, its tiles served on a free loopback port.
  static absl::StatusOr<std::unique_ptr<ServedLedger>> Start(
      const std::string& origin);
  ~ServedLedger();

  ledger::Ledger& ledger() { return fixture_->ledger(); }
  ledger::testonly::LedgerFixture& fixture() { return *fixture_; }
  // The server's tiles URL, and the HTTP handler behind it.
  const std::string& url() const { return url_; }
  const HttpHandler& handler() const { return *handler_; }
  // The verifier key the ledger was created with.
  const std::string& first_vkey() const { return first_vkey_; }
  // Whether /log-key-handover/<E> is served (the default) or 404.
  void set_handovers(bool served) { source_->set_handovers(served); }

  // Appends `n` collector entries (the clock a second apart) and publishes
  // a checkpoint.
  absl::Status Grow(int n);
  // Rotates the log key (LedgerFixture::RotateLogKey).
  absl::Status Rotate();
  // Publishes the tiles (and handovers) into a folder served as plain
  // files (404 for a missing one); returns that copy's URL. Each call
  // publishes again into the same folder.
  absl::StatusOr<std::string> PublishStatic();
  // The static copy's folder ("" before PublishStatic).
  const std::string& static_dir() const { return static_dir_; }

 private:
  class FolderHandler;
  ServedLedger() = default;

  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  std::string first_vkey_;
  std::unique_ptr<ledger::tiles::testonly::HandoverSwitchSource> source_;
  std::unique_ptr<HttpHandler> handler_;
  std::unique_ptr<TileHttpServer> server_;
  std::string url_;
  std::string static_dir_;
  std::unique_ptr<HttpHandler> static_handler_;
  std::unique_ptr<TileHttpServer> static_server_;
  std::string static_url_;
};

}  // namespace api::tiles_http::testonly

#endif  // API_TILES_HTTP_TESTONLY_SERVED_LEDGER_H_
