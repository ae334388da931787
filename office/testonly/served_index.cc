#include "office/testonly/served_index.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace office::testonly {

absl::StatusOr<ServedIndex> ServeIndex(const ledger::Ledger* input,
                                       const ledger::Ledger* output) {
  ServedIndex s;
  s.input = std::make_unique<ledger::tiles::LedgerTileSource>(input);
  if (output != nullptr) {
    s.output = std::make_unique<ledger::tiles::LedgerTileSource>(output);
  }
  s.handler = std::make_unique<api::server::ServerHttpHandler>(
      s.input.get(), s.output.get(), nullptr,
      api::tiles_http::TileHandlerOptions{});
  absl::StatusOr<std::unique_ptr<api::tiles_http::TileHttpServer>> server =
      api::tiles_http::TileHttpServer::Start(s.handler.get(), {});
  if (!server.ok()) return server.status();
  s.server = *std::move(server);
  s.url = absl::StrCat("http://127.0.0.1:", s.server->port());
  return s;
}

}  // namespace office::testonly
