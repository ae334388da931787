// TileHandler: the C2SP tlog-tiles read endpoint as a pure request → response
// function (no sockets), so every status, header and body is unit-tested;
// tile_http_server.h is the thin libmicrohttpd glue around it.
//
//   GET|HEAD /checkpoint                   text/plain; charset=utf-8, short
//   max-age GET|HEAD /tile/<L>/<N>[.p/<W>]         application/octet-stream
//   GET|HEAD /tile/entries/<N>[.p/<W>]     application/octet-stream, gzip if
//   accepted
//   GET|HEAD /log-key-handover/<E>         text/plain; charset=utf-8,
//   immutable: the handover checkpoint of log key E ≥ 1 (an extension of
//   C2SP tlog-tiles: ledger/FORMAT.md, "Tiles"), 404 when none
//
// Full tiles and bundles are immutable (`Cache-Control: public,
// max-age=31536000, immutable`); the checkpoint and partial tiles get a short
// max-age. Every 200 carries a strong ETag (the quoted hex SHA-256 of the body
// as sent) and If-None-Match answers 304. 400: a malformed tile path (the
// strict parser of tile_path.h); 404: an unknown path, or a tile beyond the
// latest checkpoint's tree; 405: any method but GET and HEAD (the port is
// read-only); 500: a bundle holding a leaf over 65,535 bytes
// (ledger/FORMAT.md, "Tiles") or a storage error.
//
// Work per request is bounded: one checkpoint read and one tile (at most 256
// hashes, or 256 leaves of ≤ 65,535 bytes each) per request; paths longer
// than kMaxPathBytes are refused before parsing.
//
// Full tiles and bundles, once served, are kept in an ImmutableCache.
//
// Thread-safe when the TileSource is. The source is not owned.
#ifndef API_TILES_HTTP_TILE_HANDLER_H_
#define API_TILES_HTTP_TILE_HANDLER_H_

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "api/tiles_http/http_handler.h"
#include "api/tiles_http/immutable_cache.h"
#include "ledger/tiles/tile_source.h"

namespace api::tiles_http {

struct TileHandlerOptions {
  // max-age of the checkpoint and of partial tiles, seconds. Default: 5.
  int short_max_age_s = 5;
  // Smallest bundle compressed when the client accepts gzip. Default: 512.
  size_t min_gzip_bytes = 512;
  // Memory for the bodies of full tiles and bundles served (ImmutableCache).
  // 0: none. Default: 64 MiB.
  size_t cache_bytes = size_t{64} << 20;
};

class TileHandler : public HttpHandler {
 public:
  // Longest path accepted (the longest canonical tile path is ~60 bytes).
  static constexpr size_t kMaxPathBytes = 256;

  TileHandler(ledger::tiles::TileSource* source, TileHandlerOptions options)
      : source_(source),
        options_(options),
        cache_(std::make_unique<ImmutableCache>(options.cache_bytes)) {}

  HttpResponse Handle(const HttpRequest& request) const override;

 private:
  // The body of `path` (checkpoint or tile) as sent, with its ETag, and its
  // Cache-Control and Content-Type; or the error response.
  struct Body {
    std::shared_ptr<const CachedBody> content;
    std::string cache_control;
    std::string content_type;
    bool bundle = false;
  };
  std::variant<Body, HttpResponse> Resolve(const std::string& path,
                                           bool gzip_ok) const;
  // /log-key-handover/<E>.
  std::variant<Body, HttpResponse> Handover(const std::string& path) const;

  ledger::tiles::TileSource* source_;
  TileHandlerOptions options_;
  std::unique_ptr<ImmutableCache> cache_;
};

}  // namespace api::tiles_http

#endif  // API_TILES_HTTP_TILE_HANDLER_H_
