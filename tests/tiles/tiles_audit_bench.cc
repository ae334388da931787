// Benchmark (not a test): the full audit of a ledger read from its C2SP
// tlog-tiles over loopback HTTP (what `ledgerctl verify --tiles URL` runs:
// api/client/log_audit.h over a TilesLogReader), next to the local audit of
// the same folder (ledger/audit.h, AuditLedgerDir) in the same run. Issue 16
// goal: tiles ≥ 80 % of the local rate. Results: docs/PERFORMANCE.md.
//
//   bazel build -c opt //tests/tiles:tiles_audit_bench
//   bazel-bin/tests/tiles/tiles_audit_bench --dir=LEDGER [--rounds=2]
//       [--threads=2] [--url=http://127.0.0.1:PORT --vkey=KEY]
//
// LEDGER: a ledger folder, e.g. one kept by `ledger_bench --keep --dir=D`
// (then LEDGER is D/ledger). The tiles are served by this process
// (LedgerTileSource → TileHandler → libmicrohttpd, 4 threads, the server's
// defaults) from the same folder opened read-only; with --url, a published
// copy (e.g. nginx over `ledgerctl publish`) is audited as well. Each round
// runs the local audit, then each tiles audit, so drift on a shared machine
// shows up as a difference between rounds.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "api/client/curl_http_getter.h"
#include "api/client/folder_log_reader.h"
#include "api/client/log_audit.h"
#include "api/client/tiles_log_reader.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "common/production_runtime.h"
#include "common/status_macros.h"
#include "ledger/audit.h"
#include "ledger/tiles/ledger_tile_source.h"

ABSL_FLAG(std::string, dir, "", "ledger folder (required)");
ABSL_FLAG(int, rounds, 2, "rounds of (local audit, tiles audits)");
ABSL_FLAG(int, threads, 2, "signature threads of every audit");
ABSL_FLAG(std::string, url, "",
          "also audit tiles served here (e.g. nginx over ledgerctl publish)");
ABSL_FLAG(bool, gzip, true,
          "the tiles client accepts gzip (the server then compresses bundles)");
ABSL_FLAG(std::string, vkey, "",
          "verifier key for --url (default: the "
          "folder's)");

namespace {

struct Rate {
  uint64_t entries = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? entries / seconds : 0; }
};

absl::StatusOr<Rate> LocalAudit(const std::string& dir, int threads) {
  ledger::AuditOptions options;
  options.threads = threads;
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(ledger::AuditReport report,
                   ledger::AuditLedgerDir(dir, options));
  if (!report.ok) return absl::DataLossError(report.problem);
  return Rate{report.entries, absl::ToDoubleSeconds(absl::Now() - start)};
}

absl::StatusOr<Rate> TilesAudit(const std::string& url, const std::string& vkey,
                                int threads) {
  const absl::Time start = absl::Now();
  api::client::CurlHttpGetterOptions http_options;
  http_options.accept_compressed = absl::GetFlag(FLAGS_gzip);
  ASSIGN_OR_RETURN(std::unique_ptr<api::client::CurlHttpGetter> http,
                   api::client::CurlHttpGetter::Create(http_options));
  ASSIGN_OR_RETURN(
      std::unique_ptr<api::client::TilesLogReader> reader,
      api::client::TilesLogReader::Create(url, vkey, std::move(http)));
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint at,
                   reader->LatestCheckpoint());
  api::client::LogAuditOptions options;
  options.threads = threads;
  ASSIGN_OR_RETURN(api::client::LogAuditReport report,
                   api::client::AuditLog(*reader, at, options));
  if (!report.ok) return absl::DataLossError(report.problem);
  return Rate{report.entries, absl::ToDoubleSeconds(absl::Now() - start)};
}

absl::Status Run() {
  const std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) return absl::InvalidArgumentError("--dir is required");
  const int threads = absl::GetFlag(FLAGS_threads);
  ASSIGN_OR_RETURN(std::unique_ptr<api::client::FolderLogReader> folder,
                   api::client::FolderLogReader::Open(dir, ""));
  ledger::tiles::LedgerTileSource source(&folder->ledger());
  api::tiles_http::TileHandler handler(&source, {});
  ASSIGN_OR_RETURN(std::unique_ptr<api::tiles_http::TileHttpServer> server,
                   api::tiles_http::TileHttpServer::Start(&handler, {}));
  const std::string own_url = absl::StrCat("http://127.0.0.1:", server->port());
  const std::string vkey = folder->ledger().VerifierKey();
  const std::string other_url = absl::GetFlag(FLAGS_url);
  const std::string other_vkey =
      absl::GetFlag(FLAGS_vkey).empty() ? vkey : absl::GetFlag(FLAGS_vkey);
  std::cout << "| round | local audit | tiles (ledger_server endpoint) | "
               "ratio |"
            << (other_url.empty() ? "" : " tiles (--url) | ratio |") << "\n";
  for (int round = 1; round <= absl::GetFlag(FLAGS_rounds); ++round) {
    ASSIGN_OR_RETURN(Rate local, LocalAudit(dir, threads));
    ASSIGN_OR_RETURN(Rate tiles, TilesAudit(own_url, vkey, threads));
    std::cout << absl::StrFormat(
        "| %d | %.0f/s (%d in %.1f s) | %.0f/s (%.1f s) | %.0f %% |", round,
        local.per_second(), local.entries, local.seconds, tiles.per_second(),
        tiles.seconds, 100 * tiles.per_second() / local.per_second());
    if (!other_url.empty()) {
      ASSIGN_OR_RETURN(Rate other, TilesAudit(other_url, other_vkey, threads));
      std::cout << absl::StrFormat(
          " %.0f/s (%.1f s) | %.0f %% |", other.per_second(), other.seconds,
          100 * other.per_second() / local.per_second());
    }
    std::cout << std::endl;
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = Run();
  if (!status.ok()) {
    std::cerr << "tiles_audit_bench: " << status << "\n";
    return 1;
  }
  return 0;
}
