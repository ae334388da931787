#include "api/tiles_http/tile_handler.h"

#include <cstring>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "api/tiles_http/gzip.h"
#include "ledger/crypto/sha256.h"
#include "ledger/tiles/tile_path.h"

namespace api::tiles_http {
namespace {

using ledger::tiles::PublishedCheckpoint;
using ledger::tiles::TileId;

constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kOctets[] = "application/octet-stream";
constexpr char kText[] = "text/plain; charset=utf-8";
// The log-key handover extension (tile_handler.h).
constexpr char kHandoverPrefix[] = "/log-key-handover/";

HttpResponse Error(int status, absl::string_view message) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", kText}, {"Cache-Control", "no-store"}};
  r.body = absl::StrCat(message, "\n");
  return r;
}

// The HTTP status for an error from the tile source.
HttpResponse SourceError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return Error(404, status.message());
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return Error(503, status.message());
    default:
      return Error(500, status.message());
  }
}

std::string StrongETag(absl::string_view body) {
  const ledger::crypto::Sha256Digest d = ledger::crypto::Sha256({body});
  return absl::StrCat("\"",
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(d.data()), d.size())),
                      "\"");
}

// True when an If-None-Match value matches `etag` (weak comparison, as RFC
// 9110 asks for If-None-Match).
bool Matches(absl::string_view if_none_match, absl::string_view etag) {
  for (absl::string_view tag : absl::StrSplit(if_none_match, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    if (tag == "*") return true;
    absl::ConsumePrefix(&tag, "W/");
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace

std::variant<TileHandler::Body, HttpResponse> TileHandler::Handover(
    const std::string& path) const {
  // Decimal, no leading zeros, at least 1 (epoch 0 has no handover).
  const absl::string_view digits =
      absl::string_view(path).substr(std::strlen(kHandoverPrefix));
  uint64_t epoch = 0;
  if (digits.empty() || digits.size() > 19 || digits[0] == '0' ||
      !absl::c_all_of(digits, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(digits, &epoch)) {
    return Error(400, absl::StrCat(path, ": not a log key number"));
  }
  absl::StatusOr<std::string> note = source_->LogKeyHandover(epoch);
  if (!note.ok()) return SourceError(note.status());
  auto content = std::make_shared<CachedBody>();
  content->etag = StrongETag(*note);
  content->body = *std::move(note);
  // A handover checkpoint never changes once published.
  return Body{std::move(content), kImmutable, kText, false};
}

std::variant<TileHandler::Body, HttpResponse> TileHandler::Resolve(
    const std::string& path, bool gzip_ok) const {
  const std::string short_cache =
      absl::StrCat("public, max-age=", options_.short_max_age_s);
  if (path == "/checkpoint") {
    absl::StatusOr<PublishedCheckpoint> checkpoint =
        source_->LatestCheckpoint();
    if (!checkpoint.ok()) return SourceError(checkpoint.status());
    auto content = std::make_shared<CachedBody>();
    content->etag = StrongETag(checkpoint->note);
    content->body = std::move(checkpoint->note);
    return Body{std::move(content), short_cache, kText, false};
  }
  if (absl::StartsWith(path, kHandoverPrefix)) return Handover(path);
  if (!absl::StartsWith(path, "/tile/")) {
    return Error(404, absl::StrCat(path, ": no such resource"));
  }
  absl::StatusOr<TileId> tile =
      ledger::tiles::ParseTilePath(absl::string_view(path).substr(1));
  if (!tile.ok()) return Error(400, tile.status().message());
  const bool full = tile->full();
  Body out{nullptr, full ? kImmutable : short_cache, kOctets, tile->entries};
  const bool try_gzip = tile->entries && gzip_ok;
  const std::string key = try_gzip ? absl::StrCat(path, "|gzip") : path;
  // A cached full tile exists in every later tree: no size check needed.
  if (full && (out.content = cache_->Get(key)) != nullptr) return out;

  absl::StatusOr<PublishedCheckpoint> checkpoint = source_->LatestCheckpoint();
  if (!checkpoint.ok()) return SourceError(checkpoint.status());
  absl::StatusOr<std::string> bytes =
      source_->ReadTile(*tile, checkpoint->size);
  if (!bytes.ok()) return SourceError(bytes.status());
  auto content = std::make_shared<CachedBody>();
  content->body = std::move(*bytes);
  if (try_gzip && content->body.size() >= options_.min_gzip_bytes) {
    absl::StatusOr<std::string> compressed = Gzip(content->body);
    if (!compressed.ok()) return Error(500, compressed.status().message());
    content->body = std::move(*compressed);
    content->gzipped = true;
  }
  content->etag = StrongETag(content->body);
  if (full) cache_->Put(key, content);
  out.content = std::move(content);
  return out;
}

HttpResponse TileHandler::Handle(const HttpRequest& request) const {
  const bool head = request.method == "HEAD";
  if (request.method != "GET" && !head) {
    HttpResponse r = Error(405, "read-only: only GET and HEAD");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (request.path.size() > kMaxPathBytes) {
    return Error(400, absl::StrCat("path: ", request.path.size(),
                                   " bytes, want ≤ ", kMaxPathBytes));
  }
  std::variant<Body, HttpResponse> resolved =
      Resolve(request.path, AcceptsGzip(request.accept_encoding));
  if (auto* error = std::get_if<HttpResponse>(&resolved)) return *error;
  const Body& b = std::get<Body>(resolved);
  HttpResponse r;
  r.head = head;
  r.headers = {{"Content-Type", b.content_type},
               {"Cache-Control", b.cache_control},
               {"ETag", b.content->etag}};
  if (b.bundle) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (!request.if_none_match.empty() &&
      Matches(request.if_none_match, b.content->etag)) {
    r.status = 304;
    // A 304 carries no Content-Type or Content-Encoding of its own.
    r.headers.erase(r.headers.begin());
    return r;
  }
  if (b.content->gzipped) r.headers.emplace_back("Content-Encoding", "gzip");
  r.body = b.content->body;
  return r;
}

}  // namespace api::tiles_http
