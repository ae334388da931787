// ledger_server: serves a ledger folder over gRPC (see api/README.md).
//
//   ledger_server --ledger_dir=/var/lib/aifl --listen=0.0.0.0:8443
//     --tls_cert=server.pem --tls_key=server.key --tls_client_ca=ca.pem
//   ledger_server --ledger_dir=/tmp/l --insecure_loopback
//   --listen=127.0.0.1:8080
//
// Exits 2 on a usage error (one line on stderr), e.g. --insecure_loopback
// together with a TLS flag.
// Exits 1 when fewer than --fd_reserve descriptors are free once the ledger
// is open (after raising the soft RLIMIT_NOFILE to the hard limit), when
// storage fails for good while serving (health NOT_SERVING, `storage_failed`
// log line, then the normal stop), when the ledger fails its open-time check
// or the server cannot start (including when --log_key is not the ledger's
// current log key, or a log-key rotation waits for its handover checkpoint: the
// message says to finish it with `ledgerctl rotate-log-key`); on SIGTERM or
// SIGINT it finishes in-flight calls, publishes a final checkpoint and exits 0.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/server/descriptor_budget.h"
#include "api/server/fairness_flags.h"
#include "api/server/grpc_log.h"
#include "api/server/index_flags.h"
#include "api/server/ledger_server.h"
#include "api/server/log.h"
#include "api/server/rules_runner.h"
#include "api/server/server_http_handler.h"
#include "api/server/server_metrics.h"
#include "api/server/witness_flags.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "common/production_runtime.h"
#include "common/version.h"
#include "ledger/ledger.h"
#include "ledger/tiles/publish_loop.h"
#include "rules/default_pack.h"

ABSL_FLAG(std::string, ledger_dir, "",
          "the ledger folder (made by ledgerctl init)");
ABSL_FLAG(std::string, listen, "127.0.0.1:8443", "host:port to listen on");
ABSL_FLAG(std::string, log_key, "",
          "the checkpoint signing key; default <ledger_dir>/keys/log.key");
ABSL_FLAG(std::string, signed_state_dir, "",
          "folder holding the log key's signed state (what it last signed), "
          "kept outside the ledger folder and its backups; default: beside "
          "the log key");
ABSL_FLAG(std::string, tls_cert, "", "server certificate chain (PEM)");
ABSL_FLAG(std::string, tls_key, "", "server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "CA that signs client certificates (PEM)");
ABSL_FLAG(std::string, tls_crl, "",
          "PEM CRL signed by --tls_client_ca: listed client certificates get "
          "UNAUTHENTICATED; read again on SIGHUP");
ABSL_FLAG(bool, insecure_loopback, false,
          "plaintext on a loopback address only; every caller is the local "
          "operator (local use and demos)");
ABSL_FLAG(absl::Duration, checkpoint_interval, absl::Seconds(1),
          "how often a checkpoint is published when the log grew");
ABSL_FLAG(uint64_t, tree_cache_mb,
          ledger::LedgerOptions().tree_cache_bytes >> 20,
          "memory for cached Merkle tree blocks, MiB (64 bytes per entry keeps "
          "every inclusion proof in memory)");
ABSL_FLAG(uint64_t, min_free_mb, 1024,
          "refuse appends (RESOURCE_EXHAUSTED) while the ledger folder's "
          "filesystem has less free space than this, MiB, beyond what "
          "flushing the memtables takes; reads go on; 0 = no floor");
ABSL_FLAG(int, max_receive_bytes, 64 << 20, "largest request accepted");
ABSL_FLAG(int, verify_threads, 0,
          "append-pipeline workers verifying Submit's signatures (0: the "
          "default, see api/server/ingest_service.h)");
ABSL_FLAG(std::string, rules_key, "",
          "secret key file of an enrolled rules key: run the AI Act rules "
          "engine in the server (on ingest and periodically) and append its "
          "findings signed by this key (with --index_dir each finding about "
          "a model cites its index entry); empty: no rules engine");
ABSL_FLAG(std::string, rules_pack, "",
          "rule pack file for --rules_key; default: the AI Act pack built "
          "into this binary (rules/packs/ai_act_gpai_v1.textproto)");
ABSL_FLAG(absl::Duration, rules_interval, absl::Seconds(1),
          "how often new entries are evaluated");
ABSL_FLAG(absl::Duration, rules_periodic, absl::Hours(1),
          "how often every model is re-evaluated (deadlines)");
ABSL_FLAG(std::string, health_listen, "",
          "loopback host:port serving gRPC health checks in plaintext, "
          "without a client certificate (the mTLS port requires one); "
          "empty: none");
ABSL_FLAG(uint64_t, fd_reserve, 256,
          "file descriptors that must be free once the ledger is open "
          "(after raising the soft RLIMIT_NOFILE to the hard limit); exit 1 "
          "otherwise");
ABSL_FLAG(uint64_t, max_connections, 4096,
          "concurrent connections on --listen (beyond this, and while fewer "
          "than --fd_reserve descriptors are free, peers wait in the listen "
          "backlog); 0 = only --fd_reserve bounds them");
ABSL_FLAG(int, rocksdb_max_open_files, 512,
          "table files RocksDB keeps open (bounds its descriptors)");
ABSL_FLAG(absl::Duration, handshake_timeout, absl::Seconds(10),
          "a peer must finish the TLS handshake within this");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "connections without calls for this long are closed");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Hours(1),
          "connections are closed after this long (then a 1 min grace)");
ABSL_FLAG(int, max_concurrent_streams, 100, "concurrent calls per connection");
ABSL_FLAG(uint64_t, grpc_memory_mb, 1024,
          "gRPC resource quota: transport memory, MiB");
ABSL_FLAG(int, grpc_max_threads, 64, "gRPC resource quota: threads");
ABSL_FLAG(std::string, http_listen, "",
          "HOST:PORT serving the log read-only as C2SP tlog-tiles over plain "
          "HTTP (/checkpoint, /tile/...), with --index_dir the index's output "
          "log under /index/ (/index/checkpoint, /index/tile/...), and "
          "Prometheus metrics (/metrics); empty: off");
ABSL_FLAG(uint32_t, http_threads, 4, "HTTP server threads");
ABSL_FLAG(uint32_t, http_max_connections, 256,
          "open HTTP connections at most (more are closed on accept)");
ABSL_FLAG(uint32_t, http_max_connections_per_ip, 0,
          "open HTTP connections from one IP address at most (0: no limit)");
ABSL_FLAG(absl::Duration, http_idle_timeout, absl::Seconds(10),
          "an HTTP connection idle this long is closed");
ABSL_FLAG(std::string, publish_dir, "",
          "keep this folder a static tlog-tiles copy of the log (as ledgerctl "
          "publish), and with --index_dir of the index's output log in its "
          "subfolder index/ (the URLs of --http_listen), checked every "
          "--checkpoint_interval; empty: off");
ABSL_FLAG(uint64_t, http_cache_mb, 64,
          "memory for full tiles and bundles already served over HTTP");
ABSL_FLAG(int, http_max_age, 5,
          "Cache-Control max-age (seconds) of /checkpoint and partial tiles");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may run after SIGTERM");

namespace {

// Set when storage failed for good; main then exits 1.
std::atomic<bool> storage_failed{false};
// A usage error (exit 2), or "" when the flags go together.
std::string UsageError() {
  if (absl::GetFlag(FLAGS_insecure_loopback)) {
    for (const auto& [name, value] :
         {std::pair<const char*, std::string>{"tls_cert",
                                              absl::GetFlag(FLAGS_tls_cert)},
          {"tls_key", absl::GetFlag(FLAGS_tls_key)},
          {"tls_client_ca", absl::GetFlag(FLAGS_tls_client_ca)},
          {"tls_crl", absl::GetFlag(FLAGS_tls_crl)}}) {
      if (!value.empty()) {
        return absl::StrCat("ledger_server: --insecure_loopback and --", name,
                            " exclude each other: choose plaintext on "
                            "loopback or mTLS");
      }
    }
  }
  return "";
}

// Blocks the stop signals (and SIGHUP, which reloads --tls_crl) in every
// thread; Run waits for them. Returns the set.
sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);  // reload --tls_crl
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

ledger::LedgerOptions LedgerOptionsFromFlags(
    const std::string& dir, api::server::ServerMetrics* metrics) {
  ledger::LedgerOptions ledger_options;
  ledger_options.dir = dir;
  ledger_options.commit_observer = metrics;
  ledger_options.store_options.max_open_files =
      absl::GetFlag(FLAGS_rocksdb_max_open_files);
  ledger_options.log_key_path = absl::GetFlag(FLAGS_log_key);
  ledger_options.signed_state_dir = absl::GetFlag(FLAGS_signed_state_dir);
  ledger_options.tree_cache_bytes = absl::GetFlag(FLAGS_tree_cache_mb) << 20;
  ledger_options.min_free_bytes = absl::GetFlag(FLAGS_min_free_mb) << 20;
  return ledger_options;
}

// Checks, once the ledger is open, that `fd_reserve` descriptors are free;
// logs the descriptor figures. False (after logging why) when too few are.
bool CheckDescriptorsAfterOpen(const api::server::DescriptorBudget& budget,
                               uint64_t fd_reserve) {
  using api::server::LogEvent;
  if (absl::Status reserve = api::server::CheckDescriptorReserve(fd_reserve);
      !reserve.ok()) {
    LogEvent("error", "descriptor_reserve_too_small",
             {{"error", reserve.ToString()}});
    return false;
  }
  LogEvent("info", "descriptors",
           {{"limit", absl::StrCat(budget.limit)},
            {"open_after_ledger_open",
             absl::StrCat(api::server::CurrentDescriptorBudget()
                              .value_or(api::server::DescriptorBudget{})
                              .open)},
            {"reserve", absl::StrCat(fd_reserve)}});
  return true;
}

api::server::ServerOptions ServerOptionsFromFlags(
    uint64_t fd_reserve, api::server::ServerMetrics* metrics) {
  api::server::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.health_listen_address = absl::GetFlag(FLAGS_health_listen);
  options.fd_reserve = fd_reserve;
  options.max_connections = absl::GetFlag(FLAGS_max_connections);
  options.transport.handshake_timeout = absl::GetFlag(FLAGS_handshake_timeout);
  options.transport.max_connection_idle =
      absl::GetFlag(FLAGS_max_connection_idle);
  options.transport.max_connection_age =
      absl::GetFlag(FLAGS_max_connection_age);
  options.transport.max_concurrent_streams =
      absl::GetFlag(FLAGS_max_concurrent_streams);
  options.transport.quota_memory_bytes = absl::GetFlag(FLAGS_grpc_memory_mb)
                                         << 20;
  options.transport.max_threads = absl::GetFlag(FLAGS_grpc_max_threads);
  options.on_storage_failure = [](const absl::Status&) {
    storage_failed = true;
    ::kill(::getpid(), SIGTERM);  // main's sigwait: stop, then exit 1
  };
  options.insecure_loopback = absl::GetFlag(FLAGS_insecure_loopback);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.tls_crl_file = absl::GetFlag(FLAGS_tls_crl);
  options.checkpoint_interval = absl::GetFlag(FLAGS_checkpoint_interval);
  options.max_receive_bytes = absl::GetFlag(FLAGS_max_receive_bytes);
  options.verify_threads = absl::GetFlag(FLAGS_verify_threads);
  options.fairness = api::server::FairnessOptionsFromFlags();
  options.memory_trim = api::server::MemoryTrimOptionsFromFlags();
  // The pack matters only to the rules runner (it evaluates the server's
  // fold); without --rules_key a bad --rules_pack is ignored, as before.
  if (!absl::GetFlag(FLAGS_rules_key).empty()) {
    options.rules_pack_path = absl::GetFlag(FLAGS_rules_pack);
  }
  options.metrics = metrics;
  return options;
}

// Starts the HTTP port of --http_listen (none when empty) into *http. False
// (after logging why) when it cannot start.
bool StartHttp(api::tiles_http::HttpHandler* handler,
               std::unique_ptr<api::tiles_http::TileHttpServer>* http) {
  using api::server::LogEvent;
  if (absl::GetFlag(FLAGS_http_listen).empty()) return true;
  api::tiles_http::TileHttpServerOptions http_options;
  http_options.listen_address = absl::GetFlag(FLAGS_http_listen);
  http_options.threads = absl::GetFlag(FLAGS_http_threads);
  http_options.max_connections = absl::GetFlag(FLAGS_http_max_connections);
  http_options.max_connections_per_ip =
      absl::GetFlag(FLAGS_http_max_connections_per_ip);
  http_options.idle_timeout = absl::GetFlag(FLAGS_http_idle_timeout);
  absl::StatusOr<std::unique_ptr<api::tiles_http::TileHttpServer>> started =
      api::tiles_http::TileHttpServer::Start(handler, http_options);
  if (!started.ok()) {
    LogEvent("error", "http_start_failed",
             {{"error", started.status().ToString()}});
    return false;
  }
  *http = std::move(*started);
  LogEvent("info", "http_listening",
           {{"address", http_options.listen_address},
            {"port", absl::StrCat((*http)->port())}});
  return true;
}

// The --publish_dir loop writing `tile_source` into the folder's `subdir`
// ("" or "/index", the URL path the HTTP port serves it under), or null
// when the flag is empty.
std::unique_ptr<ledger::tiles::PublishLoop> StartPublishLoop(
    ledger::tiles::TileSource* tile_source, const std::string& subdir) {
  using api::server::LogEvent;
  if (absl::GetFlag(FLAGS_publish_dir).empty()) return nullptr;
  const std::string dir = absl::GetFlag(FLAGS_publish_dir) + subdir;
  return std::make_unique<ledger::tiles::PublishLoop>(
      tile_source, dir, absl::GetFlag(FLAGS_checkpoint_interval),
      [dir](const absl::StatusOr<ledger::tiles::PublishReport>& report) {
        if (!report.ok()) {
          LogEvent("error", "tiles_publish_failed",
                   {{"dir", dir}, {"error", report.status().ToString()}});
        } else {
          LogEvent("info", "tiles_published",
                   {{"dir", dir},
                    {"size", absl::StrCat(report->size)},
                    {"written", absl::StrCat(report->written)}});
        }
      });
}

// Starts the rules runner of --rules_key (none when empty) into *rules.
// False (after logging why) when it cannot start.
bool StartRules(ledger::Ledger* ledger, api::server::LedgerServer* server,
                std::unique_ptr<api::server::RulesRunner>* rules) {
  using api::server::LogEvent;
  if (absl::GetFlag(FLAGS_rules_key).empty()) return true;
  api::server::RulesRunnerOptions rules_options;
  rules_options.rules_key_path = absl::GetFlag(FLAGS_rules_key);
  rules_options.interval = absl::GetFlag(FLAGS_rules_interval);
  rules_options.periodic = absl::GetFlag(FLAGS_rules_periodic);
  rules_options.index = server->index();  // findings cite it (--index_dir)
  auto started = api::server::RulesRunner::Start(ledger, server->model_view(),
                                                 rules_options);
  if (!started.ok()) {
    LogEvent("error", "rules_start_failed",
             {{"error", started.status().ToString()}});
    return false;
  }
  *rules = std::move(*started);
  LogEvent("info", "rules_started",
           {{"pack", rules::RulePackSource(absl::GetFlag(FLAGS_rules_pack))},
            {"pack_version", server->model_view()->pack_version()}});
  return true;
}

// The gRPC server per the flags (--witness_policy's errors included).
absl::StatusOr<std::unique_ptr<api::server::LedgerServer>> StartServer(
    ledger::Ledger* ledger, uint64_t fd_reserve,
    api::server::ServerMetrics* metrics) {
  api::server::ServerOptions options =
      ServerOptionsFromFlags(fd_reserve, metrics);
  if (absl::Status s = api::server::WitnessOptionsFromFlags(&options);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = api::server::IndexOptionsFromFlags(&options); !s.ok()) {
    return s;
  }
  return api::server::LedgerServer::Start(ledger, std::move(options));
}

int Run() {
  using api::server::LogEvent;
  const std::string dir = absl::GetFlag(FLAGS_ledger_dir);
  if (dir.empty()) {
    LogEvent("error", "bad_flags", {{"error", "--ledger_dir is required"}});
    return 1;
  }
  sigset_t stop_signals = BlockStopSignals();

  // Peers must never take the descriptors storage needs: use all the hard
  // limit allows (systemd: LimitNOFILE=), check the reserve once open.
  absl::StatusOr<api::server::DescriptorBudget> budget =
      api::server::RaiseDescriptorLimit();
  if (!budget.ok()) {
    LogEvent("error", "descriptor_limit_failed",
             {{"error", budget.status().ToString()}});
    return 1;
  }
  // Counted from the ledger's first append on; outlives ledger and server.
  api::server::ServerMetrics metrics(common::kVersion);
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger =
      ledger::Ledger::Open(LedgerOptionsFromFlags(dir, &metrics));
  if (!ledger.ok()) {
    LogEvent("error", "ledger_open_failed",
             {{"dir", dir}, {"error", ledger.status().ToString()}});
    return 1;
  }
  // HTTP connections are not counted by the gRPC connection gate: keep
  // descriptors for all of them on top of the storage reserve, so that
  // neither port can take the storage's.
  const uint64_t fd_reserve = absl::GetFlag(FLAGS_fd_reserve) +
                              (absl::GetFlag(FLAGS_http_listen).empty()
                                   ? 0
                                   : absl::GetFlag(FLAGS_http_max_connections));
  if (!CheckDescriptorsAfterOpen(*budget, fd_reserve)) return 1;
  absl::StatusOr<std::unique_ptr<api::server::LedgerServer>> server =
      StartServer(ledger->get(), fd_reserve, &metrics);
  if (!server.ok()) {
    LogEvent("error", "server_start_failed",
             {{"error", server.status().ToString()}});
    return 1;
  }
  // The tlog-tiles read port: stopped (destroyed) before the ledger.
  // Checkpoints carry the witnesses' cosignatures (when any); the index's
  // output log (when hosted) under /index/; /metrics on the same port.
  api::tiles_http::TileHandlerOptions handler_options;
  handler_options.short_max_age_s = absl::GetFlag(FLAGS_http_max_age);
  handler_options.cache_bytes = absl::GetFlag(FLAGS_http_cache_mb) << 20;
  api::server::ServerHttpHandler http_handler(ledger->get(), **server, &metrics,
                                              handler_options);
  std::unique_ptr<api::tiles_http::TileHttpServer> http;
  if (!StartHttp(&http_handler, &http)) return 1;
  std::unique_ptr<ledger::tiles::PublishLoop> publish_loop =
      StartPublishLoop(http_handler.log_tiles(), "");
  std::unique_ptr<ledger::tiles::PublishLoop> index_publish_loop =
      http_handler.index_tiles() == nullptr
          ? nullptr
          : StartPublishLoop(http_handler.index_tiles(),
                             api::server::ServerHttpHandler::kIndexPrefix);
  std::unique_ptr<api::server::RulesRunner> rules;
  if (!StartRules(ledger->get(), server->get(), &rules)) return 1;
  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    // A failed reload keeps the previous list (and logs crl_load_failed).
    (void)(*server)->ReloadCrl();
  }
  LogEvent("info", "stopping", {{"signal", absl::StrCat(signal)}});
  rules.reset();  // no findings appended during shutdown
  http.reset();
  publish_loop.reset();
  index_publish_loop.reset();
  absl::Status stopped =
      (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  server->reset();
  ledger->reset();
  return stopped.ok() && !storage_failed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("ledger_server ", common::kVersion,
                        "\nbuilt-in rule pack ",
                        rules::DefaultRulePackVersion(),
                        " (rules/packs/ai_act_gpai_v1.textproto; --rules_pack "
                        "overrides it)\n");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);
  if (std::string usage = UsageError(); !usage.empty()) {
    std::fprintf(stderr, "%s\n", usage.c_str());
    return 2;
  }
  api::server::RouteGrpcLogsToJsonLog();
  return Run();
}
