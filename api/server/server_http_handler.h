// ServerHttpHandler: everything ledger_server serves on its plain-HTTP port
// (--http_listen), as one HttpHandler:
//
//   /metrics              Prometheus text (metrics_http_handler.h)
//   /index/checkpoint     the hosted index's output log (--index_dir) as
//   /index/tile/...       C2SP tlog-tiles, its checkpoint with the
//   /index/log-key-handover/<E>   cosignatures its witnesses gave
//   /checkpoint, /tile/..., /log-key-handover/<E>   the log itself, its
//                         checkpoint with its witnesses' cosignatures
//
// The output log sits under a fixed path prefix of the same port, not on a
// second listener, so that a static copy of both logs (ledger_server
// --publish_dir writes the index's tiles into <dir>/index) served by nginx,
// a CDN or an object store has the very same URLs: a client follows <base>
// for the log and <base>/index for its index (office_monitor's `index`
// line, ledgerctl --tiles). The prefix cannot collide with the log's own
// paths (tlog-tiles uses only /checkpoint and /tile/). Without an index,
// /index/... answers 404 like any unknown path.
//
// Thread-safe when the tile sources are. Nothing passed in is owned; all of
// it outlives the handler.
#ifndef API_SERVER_SERVER_HTTP_HANDLER_H_
#define API_SERVER_SERVER_HTTP_HANDLER_H_

#include <memory>
#include <vector>

#include "api/server/ledger_server.h"
#include "api/server/metrics_http_handler.h"
#include "api/server/server_metrics.h"
#include "api/tiles_http/http_handler.h"
#include "api/tiles_http/tile_handler.h"
#include "ledger/ledger.h"
#include "ledger/tiles/tile_source.h"

namespace api::server {

class ServerHttpHandler final : public tiles_http::HttpHandler {
 public:
  // The path prefix of the index's output log.
  static constexpr char kIndexPrefix[] = "/index";

  // What `server` serves: `ledger` with server.witnesses()'s cosignatures
  // and, when it hosts an index, its output log with
  // server.index_witnesses()'s. `metrics`: null for no /metrics.
  ServerHttpHandler(const ledger::Ledger* ledger, const LedgerServer& server,
                    ServerMetrics* metrics,
                    tiles_http::TileHandlerOptions options);
  // The same layout over any tile sources (`index` null: none).
  ServerHttpHandler(ledger::tiles::TileSource* log,
                    ledger::tiles::TileSource* index, ServerMetrics* metrics,
                    tiles_http::TileHandlerOptions options);

  // The tile sources as served (with cosignatures), e.g. for --publish_dir;
  // index_tiles() is null without an index.
  ledger::tiles::TileSource* log_tiles() const { return log_tiles_; }
  ledger::tiles::TileSource* index_tiles() const { return index_tiles_; }

  tiles_http::HttpResponse Handle(
      const tiles_http::HttpRequest& request) const override;

 private:
  void Build(ServerMetrics* metrics, tiles_http::TileHandlerOptions options);

  // The sources the first constructor makes.
  std::vector<std::unique_ptr<ledger::tiles::TileSource>> owned_;
  ledger::tiles::TileSource* log_tiles_ = nullptr;
  ledger::tiles::TileSource* index_tiles_ = nullptr;
  std::unique_ptr<tiles_http::TileHandler> log_;
  std::unique_ptr<tiles_http::TileHandler> index_;  // null without an index
  std::unique_ptr<MetricsHttpHandler> metrics_;     // null without metrics
};

}  // namespace api::server

#endif  // API_SERVER_SERVER_HTTP_HANDLER_H_
