#include "api/tiles_http/testonly/served_ledger.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/tiles_http/tile_handler.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "ledger/tiles/static_publisher.h"

namespace api::tiles_http::testonly {

// A plain web server's view of a folder: GET <path> is the file's bytes,
// 404 when there is none.
class ServedLedger::FolderHandler final : public HttpHandler {
 public:
  explicit FolderHandler(std::string dir) : dir_(std::move(dir)) {}
  HttpResponse Handle(const HttpRequest& request) const override {
    HttpResponse r;
    absl::StatusOr<std::string> bytes =
        request.path.find("..") == std::string::npos
            ? common::ReadWholeFile(dir_ + request.path)
            : absl::NotFoundError("..");
    if (!bytes.ok()) {
      r.status = 404;
      return r;
    }
    r.body = *std::move(bytes);
    return r;
  }

 private:
  const std::string dir_;
};

ServedLedger::~ServedLedger() = default;

absl::StatusOr<std::unique_ptr<ServedLedger>> ServedLedger::Start(
    const std::string& origin) {
  std::unique_ptr<ServedLedger> s(new ServedLedger());
  ASSIGN_OR_RETURN(s->fixture_,
                   ledger::testonly::LedgerFixture::Create(origin));
  ASSIGN_OR_RETURN(s->collector_,
                   s->fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  s->first_vkey_ = s->ledger().VerifierKey();
  s->source_ = std::make_unique<ledger::tiles::testonly::HandoverSwitchSource>(
      &s->ledger());
  s->handler_ =
      std::make_unique<TileHandler>(s->source_.get(), TileHandlerOptions{});
  ASSIGN_OR_RETURN(s->server_, TileHttpServer::Start(s->handler_.get(),
                                                     TileHttpServerOptions{}));
  s->url_ = absl::StrCat("http://127.0.0.1:", s->server_->port());
  return s;
}

absl::Status ServedLedger::Grow(int n) {
  for (int i = 0; i < n; ++i) {
    fixture_->clock().Advance(absl::Seconds(1));
    ASSIGN_OR_RETURN(std::string envelope,
                     collector_->SignNext("aifl.collector.v1.Blob",
                                          absl::StrCat("entry ", i)));
    RETURN_IF_ERROR(fixture_->AppendOne(envelope).status());
  }
  return ledger().PublishCheckpoint().status();
}

absl::Status ServedLedger::Rotate() {
  return fixture_->RotateLogKey().status();
}

absl::StatusOr<std::string> ServedLedger::PublishStatic() {
  if (static_server_ == nullptr) {
    static_dir_ = ledger::testonly::FreshDir("served-ledger-www");
    static_handler_ = std::make_unique<FolderHandler>(static_dir_);
    ASSIGN_OR_RETURN(
        static_server_,
        TileHttpServer::Start(static_handler_.get(), TileHttpServerOptions{}));
    static_url_ = absl::StrCat("http://127.0.0.1:", static_server_->port());
  }
  ledger::tiles::LedgerTileSource tiles(&ledger());
  RETURN_IF_ERROR(ledger::tiles::PublishTiles(tiles, static_dir_).status());
  return static_url_;
}

}  // namespace api::tiles_http::testonly
