// aifl_witness: a C2SP tlog-witness (README.md).
//   aifl_witness keygen --key_file=K --name=NAME   new key in K, K.pub; prints
//   vkey aifl_witness vkey --key_file=K --name=NAME     prints the verifier key
//   aifl_witness serve --key_file=K --name=NAME --logs=FILE --state_dir=DIR
//                 [--listen=127.0.0.1:8480] [--prefix=] [--threads=0]
//                 [--metrics_listen=HOST:PORT]   Prometheus /metrics
#include <signal.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "api/server/log.h"
#include "common/clock.h"
#include "common/production_runtime.h"
#include "common/read_file.h"
#include "common/version.h"
#include "ledger/crypto/key_file.h"
#include "ledger/note/cosignature.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_http_server.h"
#include "witness/witness_metrics.h"
#include "witness/witness_store.h"

ABSL_FLAG(std::string, key_file, "",
          "the witness's Ed25519 secret key file (from `keygen`)");
ABSL_FLAG(std::string, name, "",
          "the witness's cosigner name, e.g. witness.office.example.eu/w1 "
          "(the key name in its vkey and cosignature lines)");
ABSL_FLAG(std::string, logs, "",
          "trusted logs: a file of tlog-policy `log <vkey>` lines (origin = "
          "key name); other policy lines are ignored");
ABSL_FLAG(std::string, state_dir, "",
          "RocksDB folder of the witness state (created when absent)");
ABSL_FLAG(std::string, listen, "127.0.0.1:8480", "HTTP host:port");
ABSL_FLAG(std::string, prefix, "",
          "URL prefix of every path (\"\" or \"/path\"): the submission and "
          "monitoring prefix");
ABSL_FLAG(int, threads, 0,
          "HTTP event loops (threads), each answering a round of requests "
          "after one synced write; 0: one per CPU it may run on");
ABSL_FLAG(int, max_connections, 256, "open HTTP connections at most");
ABSL_FLAG(std::string, metrics_listen, "",
          "serve Prometheus /metrics on this HOST:PORT (its own port; \"\" = "
          "off): add-checkpoint answers by status and latency, cosigned size "
          "and evidence kept per log");

namespace {

using api::server::LogEvent;

constexpr char kUsage[] =
    "usage: aifl_witness keygen|vkey|serve [flags]   (--helpfull lists them)\n"
    "  keygen --key_file=K --name=NAME   write a new key to K (and K.pub); "
    "print its vkey\n"
    "  vkey   --key_file=K --name=NAME   print the vkey of K\n"
    "  serve  --key_file=K --name=NAME --logs=FILE --state_dir=DIR "
    "[--listen=HOST:PORT] [--prefix=/p]\n";

absl::StatusOr<std::unique_ptr<ledger::note::Cosigner>> LoadCosigner() {
  if (absl::GetFlag(FLAGS_key_file).empty() ||
      absl::GetFlag(FLAGS_name).empty()) {
    return absl::InvalidArgumentError("--key_file and --name are required");
  }
  absl::StatusOr<std::unique_ptr<ledger::crypto::SigningKey>> key =
      ledger::crypto::ReadSecretKeyFile(absl::GetFlag(FLAGS_key_file));
  if (!key.ok()) return key.status();
  return ledger::note::Cosigner::Create(absl::GetFlag(FLAGS_name),
                                        *std::move(key));
}

int Keygen() {
  const std::string path = absl::GetFlag(FLAGS_key_file);
  if (path.empty() || absl::GetFlag(FLAGS_name).empty()) {
    std::cerr << "keygen: --key_file and --name are required\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<ledger::crypto::SigningKey>> key =
      ledger::crypto::SigningKey::Generate();
  absl::Status s = key.status();
  if (s.ok()) s = ledger::crypto::WriteSecretKeyFile(path, **key);
  if (s.ok()) {
    s = ledger::crypto::WritePublicKeyFile(path + ".pub", (*key)->public_key());
  }
  if (!s.ok()) {
    std::cerr << "keygen: " << s << "\n";
    return 1;
  }
  return 0;
}

int PrintVkey() {
  absl::StatusOr<std::unique_ptr<ledger::note::Cosigner>> cosigner =
      LoadCosigner();
  if (!cosigner.ok()) {
    std::cerr << "witness: " << cosigner.status() << "\n";
    return 1;
  }
  std::cout << (*cosigner)->VerifierKey() << "\n";
  return 0;
}

int Serve() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const auto fail = [](absl::string_view event, const absl::Status& s) {
    LogEvent("error", event, {{"error", s.ToString()}});
    return 1;
  };
  absl::StatusOr<std::unique_ptr<ledger::note::Cosigner>> cosigner =
      LoadCosigner();
  if (!cosigner.ok()) return fail("bad_key", cosigner.status());
  if (absl::GetFlag(FLAGS_logs).empty() ||
      absl::GetFlag(FLAGS_state_dir).empty()) {
    return fail("bad_flags", absl::InvalidArgumentError(
                                 "--logs and --state_dir are required"));
  }
  absl::StatusOr<std::string> text =
      common::ReadWholeFile(absl::GetFlag(FLAGS_logs));
  if (!text.ok()) return fail("bad_logs", text.status());
  absl::StatusOr<witness::TrustedLogs> logs =
      witness::TrustedLogs::Parse(*text);
  if (!logs.ok()) return fail("bad_logs", logs.status());
  const std::vector<std::string> origins = logs->Origins();
  absl::StatusOr<std::unique_ptr<witness::WitnessStore>> store =
      witness::WitnessStore::Open(absl::GetFlag(FLAGS_state_dir));
  if (!store.ok()) return fail("state_open_failed", store.status());
  const std::string vkey = (*cosigner)->VerifierKey();
  absl::StatusOr<std::unique_ptr<witness::Witness>> w =
      witness::Witness::Create(*std::move(cosigner), *std::move(logs),
                               store->get(), common::RealClock::Get());
  if (!w.ok()) return fail("state_load_failed", w.status());
  std::unique_ptr<witness::WitnessMetrics> metrics;
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    absl::StatusOr<std::unique_ptr<witness::WitnessMetrics>> served =
        witness::WitnessMetrics::Serve(w->get(), common::kVersion,
                                       absl::GetFlag(FLAGS_metrics_listen));
    if (!served.ok()) return fail("metrics_listen_failed", served.status());
    metrics = *std::move(served);
    LogEvent("info", "metrics_listening",
             {{"port", absl::StrCat(metrics->port())}});
  }
  witness::WitnessHttpServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.prefix = absl::GetFlag(FLAGS_prefix);
  if (metrics != nullptr) {
    options.on_response = [m = metrics.get(), prefix = options.prefix](
                              absl::string_view, absl::string_view path,
                              int status, absl::Duration elapsed) {
      m->CountResponse(prefix, path, status, elapsed);
    };
  }
  options.threads = static_cast<unsigned>(absl::GetFlag(FLAGS_threads));
  options.max_connections =
      static_cast<unsigned>(absl::GetFlag(FLAGS_max_connections));
  absl::StatusOr<std::unique_ptr<witness::WitnessHttpServer>> server =
      witness::WitnessHttpServer::Start(w->get(), options);
  if (!server.ok()) return fail("listen_failed", server.status());
  LogEvent("info", "witness_started",
           {{"port", absl::StrCat((*server)->port())},
            {"vkey", vkey},
            {"logs", absl::StrCat(origins.size())}});
  int signal = 0;
  sigwait(&stop_signals, &signal);
  LogEvent("info", "witness_stopping", {{"signal", absl::StrCat(signal)}});
  server->reset();  // Finish requests in flight before the store closes.
  metrics.reset();  // Before the witness it reads.
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("aifl_witness ", common::kVersion,
                        " (tlog-witness, cosignature/v1, state v1)\n");
  };
  absl::SetFlagsUsageConfig(usage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = args[1];
  if (command == "keygen") {
    if (int rc = Keygen(); rc != 0) return rc;
    return PrintVkey();
  }
  if (command == "vkey") return PrintVkey();
  if (command == "serve") return Serve();
  std::cerr << "witness: unknown command \"" << command << "\"\n" << kUsage;
  return 2;
}
