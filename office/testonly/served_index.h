// An input log and its index's output log served on one HTTP port over
// loopback, as `ledger_server --index_dir --http_listen` serves them
// (api/server/server_http_handler.h): the input at <url>, the output log at
// <url>/index. What the monitor's index tests follow.
#ifndef OFFICE_TESTONLY_SERVED_INDEX_H_
#define OFFICE_TESTONLY_SERVED_INDEX_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/server/server_http_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "ledger/ledger.h"
#include "ledger/tiles/ledger_tile_source.h"

namespace office::testonly {

struct ServedIndex {
  std::unique_ptr<ledger::tiles::LedgerTileSource> input, output;
  std::unique_ptr<api::server::ServerHttpHandler> handler;
  std::unique_ptr<api::tiles_http::TileHttpServer> server;
  std::string url;  // http://127.0.0.1:PORT
};

// Serves each ledger's latest published checkpoint and its tiles; `output`
// may be null (the input alone). The ledgers must outlive the result.
absl::StatusOr<ServedIndex> ServeIndex(const ledger::Ledger* input,
                                       const ledger::Ledger* output);

}  // namespace office::testonly

#endif  // OFFICE_TESTONLY_SERVED_INDEX_H_
