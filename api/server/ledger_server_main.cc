// ledger_server: serves a ledger folder over gRPC (see api/README.md).
//
//   ledger_server --ledger_dir=/var/lib/aifl --listen=0.0.0.0:8443
//     --tls_cert=server.pem --tls_key=server.key --tls_client_ca=ca.pem
//   ledger_server --ledger_dir=/tmp/l --insecure_loopback
//   --listen=127.0.0.1:8080
//
// Exits 2 on a usage error (one line on stderr), e.g. --insecure_loopback
// together with a TLS flag. Exits 1 when the ledger fails its open-time check
// or the server cannot start (including when --log_key is not the ledger's
// current log key, or a log-key rotation waits for its handover checkpoint: the
// message says to finish it with `ledgerctl rotate-log-key`); on SIGTERM or
// SIGINT it finishes in-flight calls, publishes a final checkpoint and exits 0.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/server/grpc_log.h"
#include "api/server/ledger_server.h"
#include "api/server/log.h"
#include "api/server/rules_runner.h"
#include "common/production_runtime.h"
#include "ledger/ledger.h"

ABSL_FLAG(std::string, ledger_dir, "",
          "the ledger folder (made by ledgerctl init)");
ABSL_FLAG(std::string, listen, "127.0.0.1:8443", "host:port to listen on");
ABSL_FLAG(std::string, log_key, "",
          "the checkpoint signing key; default <ledger_dir>/keys/log.key");
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
ABSL_FLAG(int, max_receive_bytes, 64 << 20, "largest request accepted");
ABSL_FLAG(std::string, rules_key, "",
          "secret key file of an enrolled rules key: run the AI Act rules "
          "engine in the server (on ingest and periodically) and append its "
          "findings signed by this key; empty: no rules engine");
ABSL_FLAG(std::string, rules_pack, "rules/packs/ai_act_gpai_v1.textproto",
          "rule pack for --rules_key");
ABSL_FLAG(absl::Duration, rules_interval, absl::Seconds(1),
          "how often new entries are evaluated");
ABSL_FLAG(absl::Duration, rules_periodic, absl::Hours(1),
          "how often every model is re-evaluated (deadlines)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may run after SIGTERM");

namespace {

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

int Run() {
  using api::server::LogEvent;
  const std::string dir = absl::GetFlag(FLAGS_ledger_dir);
  if (dir.empty()) {
    LogEvent("error", "bad_flags", {{"error", "--ledger_dir is required"}});
    return 1;
  }
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);  // reload --tls_crl
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ledger::LedgerOptions ledger_options;
  ledger_options.dir = dir;
  ledger_options.log_key_path = absl::GetFlag(FLAGS_log_key);
  ledger_options.tree_cache_bytes = absl::GetFlag(FLAGS_tree_cache_mb) << 20;
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger =
      ledger::Ledger::Open(ledger_options);
  if (!ledger.ok()) {
    LogEvent("error", "ledger_open_failed",
             {{"dir", dir}, {"error", ledger.status().ToString()}});
    return 1;
  }
  api::server::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.insecure_loopback = absl::GetFlag(FLAGS_insecure_loopback);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.tls_crl_file = absl::GetFlag(FLAGS_tls_crl);
  options.checkpoint_interval = absl::GetFlag(FLAGS_checkpoint_interval);
  options.max_receive_bytes = absl::GetFlag(FLAGS_max_receive_bytes);
  absl::StatusOr<std::unique_ptr<api::server::LedgerServer>> server =
      api::server::LedgerServer::Start(ledger->get(), options);
  if (!server.ok()) {
    LogEvent("error", "server_start_failed",
             {{"error", server.status().ToString()}});
    return 1;
  }
  std::unique_ptr<api::server::RulesRunner> rules;
  if (!absl::GetFlag(FLAGS_rules_key).empty()) {
    api::server::RulesRunnerOptions rules_options;
    rules_options.rules_key_path = absl::GetFlag(FLAGS_rules_key);
    rules_options.pack_path = absl::GetFlag(FLAGS_rules_pack);
    rules_options.interval = absl::GetFlag(FLAGS_rules_interval);
    rules_options.periodic = absl::GetFlag(FLAGS_rules_periodic);
    auto started =
        api::server::RulesRunner::Start(ledger->get(), rules_options);
    if (!started.ok()) {
      LogEvent("error", "rules_start_failed",
               {{"error", started.status().ToString()}});
      return 1;
    }
    rules = std::move(*started);
    LogEvent("info", "rules_started", {{"pack", rules_options.pack_path}});
  }
  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    // A failed reload keeps the previous list (and logs crl_load_failed).
    (void)(*server)->ReloadCrl();
  }
  LogEvent("info", "stopping", {{"signal", absl::StrCat(signal)}});
  rules.reset();  // no findings appended during shutdown
  absl::Status stopped =
      (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  server->reset();
  ledger->reset();
  return stopped.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  if (std::string usage = UsageError(); !usage.empty()) {
    std::fprintf(stderr, "%s\n", usage.c_str());
    return 2;
  }
  api::server::RouteGrpcLogsToJsonLog();
  return Run();
}
