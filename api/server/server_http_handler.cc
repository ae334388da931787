#include "api/server/server_http_handler.h"

#include <utility>

#include "absl/strings/match.h"
#include "api/server/cosigned_tile_source.h"
#include "ledger/tiles/ledger_tile_source.h"

namespace api::server {

ServerHttpHandler::ServerHttpHandler(const ledger::Ledger* ledger,
                                     const LedgerServer& server,
                                     ServerMetrics* metrics,
                                     tiles_http::TileHandlerOptions options) {
  // The ledger's tiles, their checkpoint with the gathered cosignatures.
  auto cosigned = [this](const ledger::Ledger* log,
                         const WitnessCollector* witnesses) {
    owned_.push_back(std::make_unique<ledger::tiles::LedgerTileSource>(log));
    owned_.push_back(
        std::make_unique<CosignedTileSource>(owned_.back().get(), witnesses));
    return owned_.back().get();
  };
  log_tiles_ = cosigned(ledger, server.witnesses());
  if (server.index_output() != nullptr) {
    index_tiles_ = cosigned(server.index_output(), server.index_witnesses());
  }
  Build(metrics, options);
}

ServerHttpHandler::ServerHttpHandler(ledger::tiles::TileSource* log,
                                     ledger::tiles::TileSource* index,
                                     ServerMetrics* metrics,
                                     tiles_http::TileHandlerOptions options)
    : log_tiles_(log), index_tiles_(index) {
  Build(metrics, options);
}

void ServerHttpHandler::Build(ServerMetrics* metrics,
                              tiles_http::TileHandlerOptions options) {
  log_ = std::make_unique<tiles_http::TileHandler>(log_tiles_, options);
  if (index_tiles_ != nullptr) {
    index_ = std::make_unique<tiles_http::TileHandler>(index_tiles_, options);
  }
  if (metrics != nullptr) {
    metrics_ = std::make_unique<MetricsHttpHandler>(metrics, log_.get());
  }
}

tiles_http::HttpResponse ServerHttpHandler::Handle(
    const tiles_http::HttpRequest& request) const {
  const absl::string_view path = request.path;
  constexpr size_t kPrefixSize = sizeof(kIndexPrefix) - 1;
  if (index_ != nullptr && absl::StartsWith(path, kIndexPrefix) &&
      path.size() > kPrefixSize && path[kPrefixSize] == '/') {
    tiles_http::HttpRequest inner = request;
    inner.path = request.path.substr(kPrefixSize);
    return index_->Handle(inner);
  }
  if (metrics_ != nullptr) return metrics_->Handle(request);
  return log_->Handle(request);
}

}  // namespace api::server
