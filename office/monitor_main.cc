// office_monitor: the AI Office's monitor of factory logs (office/README.md).
//
//   office_monitor --config=FILE --state_dir=DIR
//       [--witness_key_file=K --witness_name=NAME --witness_listen=H:P]
//       [--office_server=H:P --office_vkey=V --office_tls_ca=CA
//        --office_tls_cert=C --office_tls_key=K --office_rules_tls_cert=C
//        --office_rules_tls_key=K | --office_ledger_dir=D]
//       [--office_rules_key=K --office_key=K]
//
// Follows every log of the config over tlog-tiles into the mirror in
// DIR/mirror; with --witness_key_file, also serves the tlog-witness API and
// cosigns the checkpoints it fully verified (state in DIR/witness). With
// --office_server (or --office_ledger_dir), also folds every verified leaf
// into the Office's findings and records them in the Office ledger
// (office_ledger_sink.h), through that ledger_server's ingest while it
// serves them (or into a folder it holds). Logs one JSON event per line
// (api/server/log.h); stops on SIGTERM or SIGINT.
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>

#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/client/curl_http_getter.h"
#include "api/server/log.h"
#include "common/clock.h"
#include "common/errno_status.h"
#include "common/production_runtime.h"
#include "common/version.h"
#include "ledger/crypto/key_file.h"
#include "ledger/note/cosignature.h"
#include "office/log_follower.h"
#include "office/mirror.h"
#include "office/monitor.h"
#include "office/monitor_config.h"
#include "office/monitor_metrics.h"
#include "office/monitor_witness.h"
#include "office/office_ledger_sink.h"
#include "office/signature_pool.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_http_server.h"
#include "witness/witness_store.h"

ABSL_FLAG(std::string, config, "",
          "the factory logs to follow: `log <vkey> <tiles-url> "
          "[<tlog-policy-file>]` lines (office/README.md)");
ABSL_FLAG(std::string, state_dir, "",
          "the monitor's state: DIR/mirror (RocksDB), DIR/witness");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(1),
          "pause between two checkpoint fetches of a log with nothing new");
ABSL_FLAG(int, threads, 2,
          "signature-verifying threads, started once and shared by every log "
          "(one per core the monitor may use; office/signature_pool.h)");
ABSL_FLAG(uint64_t, max_entries_per_commit, 4096,
          "entries per synced commit of a log; a log holds at most two such "
          "chunks in memory (one committing, the next being fetched)");
ABSL_FLAG(std::string, metrics_listen, "",
          "serve Prometheus /metrics on HOST:PORT (office/monitor_metrics.h); "
          "empty: off");
ABSL_FLAG(std::string, witness_key_file, "",
          "the monitor's own Ed25519 cosigning key (from `aifl_witness "
          "keygen`; never a plain witness's key); empty: do not cosign");
ABSL_FLAG(std::string, witness_name, "",
          "the monitor's witness name (key name in its vkey and cosignatures)");
ABSL_FLAG(std::string, witness_listen, "127.0.0.1:8490",
          "HTTP host:port of the tlog-witness API");
ABSL_FLAG(std::string, office_server, "",
          "the Office ledger's ledger_server, HOST:PORT (gRPC): record the "
          "Office's findings, the factory checkpoints verified and the model "
          "totals there through its ingest while it serves them; empty "
          "(and no --office_ledger_dir): mirror only");
ABSL_FLAG(std::string, office_vkey, "",
          "with --office_server: the Office ledger's verifier key");
ABSL_FLAG(std::string, office_tiles_url, "",
          "with --office_server: its tlog-tiles URL (--http_listen): read the "
          "Office ledger back from its tiles at start (fast) instead of over "
          "gRPC (one inclusion proof per entry)");
ABSL_FLAG(std::string, office_tls_ca, "",
          "with --office_server: the CA of its server certificate (PEM)");
ABSL_FLAG(std::string, office_tls_cert, "",
          "with --office_server: the client certificate of TLS role office "
          "(CN = the office key's tls_identity); also reads the ledger back");
ABSL_FLAG(std::string, office_tls_key, "",
          "with --office_server: the private key of --office_tls_cert");
ABSL_FLAG(std::string, office_rules_tls_cert, "",
          "with --office_server: the client certificate of TLS role rules "
          "(CN = the rules key's tls_identity); default: --office_tls_cert "
          "(only a --insecure_loopback server accepts one for both)");
ABSL_FLAG(std::string, office_rules_tls_key, "",
          "with --office_server: the private key of --office_rules_tls_cert");
ABSL_FLAG(std::string, office_ledger_dir, "",
          "instead of --office_server: the Office ledger's folder, held by "
          "the monitor (no ledger_server can serve it meanwhile)");
ABSL_FLAG(std::string, office_rules_key, "",
          "with --office_server or --office_ledger_dir: the key signing the "
          "Office's findings (enrolled there with role rules)");
ABSL_FLAG(std::string, office_key, "",
          "with --office_server or --office_ledger_dir: the key signing "
          "factory checkpoints and model totals (enrolled there with role "
          "office)");
ABSL_FLAG(std::string, office_rules_pack, "",
          "with --office_server or --office_ledger_dir: the rule pack run on "
          "each global model; default: the AI Act pack built into this "
          "binary");
ABSL_FLAG(uint64_t, max_evidence_leaves, 100000,
          "with --office_server or --office_ledger_dir: interval leaves kept "
          "in memory per model "
          "and factory (the first ones); later ones count in every figure "
          "and findings count them as evidence_not_listed; 0: all (memory "
          "then grows with the entries followed)");

namespace {

using api::server::LogEvent;

int Fail(absl::string_view event, const absl::Status& s) {
  LogEvent("error", event, {{"error", s.ToString()}});
  return 1;
}

absl::StatusOr<std::vector<std::unique_ptr<office::LogFollower>>> Followers(
    const office::MonitorConfig& config, office::Mirror* mirror,
    office::MonitorMetrics* metrics) {
  office::FollowerOptions options;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.signature_pool =
      std::make_shared<office::SignaturePool>(options.threads);
  options.max_entries_per_commit =
      std::max<uint64_t>(1, absl::GetFlag(FLAGS_max_entries_per_commit));
  std::vector<std::unique_ptr<office::LogFollower>> out;
  for (const office::FollowedLog& log : config.logs) {
    options.on_commit = [metrics, origin = log.origin](
                            uint64_t verified, uint64_t size, uint64_t added) {
      metrics->Progress(origin, verified, size, added);
    };
    absl::StatusOr<std::unique_ptr<api::client::CurlHttpGetter>> http =
        api::client::CurlHttpGetter::Create();
    if (!http.ok()) return http.status();
    absl::StatusOr<std::unique_ptr<office::LogFollower>> f =
        office::LogFollower::Create(log, mirror, *std::move(http),
                                    common::RealClock::Get(), options);
    if (!f.ok()) return f.status();
    metrics->Progress(log.origin, (*f)->verified_size(),
                      (*f)->checkpoint_size(), 0);
    if (!log.index_of.empty()) metrics->IndexInputNotWaiting(log.origin);
    if ((*f)->stopped()) {
      metrics->Stopped(log.origin);
      LogEvent("warning", "log_stopped",
               {{"origin", log.origin},
                {"verified_size", absl::StrCat((*f)->verified_size())}});
    }
    out.push_back(*std::move(f));
  }
  return out;
}

// The Office ledger, when --office_server or --office_ledger_dir is given:
// opened, read back, and brought up to the mirror before the followers
// start.
absl::StatusOr<std::unique_ptr<office::OfficeLedgerSink>> OpenOfficeLedger(
    const office::MonitorConfig& config, const office::Mirror* mirror) {
  if (absl::GetFlag(FLAGS_office_ledger_dir).empty() &&
      absl::GetFlag(FLAGS_office_server).empty()) {
    return nullptr;
  }
  office::OfficeLedgerOptions options;
  options.ledger_dir = absl::GetFlag(FLAGS_office_ledger_dir);
  options.server = absl::GetFlag(FLAGS_office_server);
  options.vkey = absl::GetFlag(FLAGS_office_vkey);
  options.tiles_url = absl::GetFlag(FLAGS_office_tiles_url);
  options.tls_ca = absl::GetFlag(FLAGS_office_tls_ca);
  options.tls_cert = absl::GetFlag(FLAGS_office_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_office_tls_key);
  options.rules_tls_cert = absl::GetFlag(FLAGS_office_rules_tls_cert);
  options.rules_tls_key = absl::GetFlag(FLAGS_office_rules_tls_key);
  // The Office ledger's checkpoints this monitor trusted: a server that
  // later rolls back or forks is refused.
  options.trusted_dir = absl::GetFlag(FLAGS_state_dir) + "/office-trusted";
  options.rules_key_path = absl::GetFlag(FLAGS_office_rules_key);
  options.office_key_path = absl::GetFlag(FLAGS_office_key);
  options.rules_pack_path = absl::GetFlag(FLAGS_office_rules_pack);
  options.max_evidence_leaves = absl::GetFlag(FLAGS_max_evidence_leaves);
  for (const office::FollowedLog& log : config.logs) {
    if (!log.index_of.empty()) options.index_logs.insert(log.origin);
  }
  if (options.rules_key_path.empty() || options.office_key_path.empty()) {
    return absl::InvalidArgumentError(
        "--office_rules_key and --office_key are required with "
        "--office_server or --office_ledger_dir");
  }
  return office::OfficeLedgerSink::Open(options, mirror);
}

// Logs what a sync recorded (nothing when nothing was).
void LogRecorded(const std::string& origin,
                 const absl::StatusOr<office::OfficeRecorded>& r) {
  if (!r.ok()) {
    LogEvent("error", "office_record_failed",
             {{"origin", origin}, {"error", r.status().ToString()}});
    return;
  }
  if (r->checkpoints + r->findings + r->totals == 0) return;
  LogEvent("info", "office_recorded",
           {{"origin", origin},
            {"checkpoints", absl::StrCat(r->checkpoints)},
            {"findings", absl::StrCat(r->findings)},
            {"totals", absl::StrCat(r->totals)},
            {"office_size", absl::StrCat(r->office_size)}});
}

// An index's output log waiting for its input: the gauges each step, one
// event per distinct wait (leaf and sizes) and one when it ends — never an
// incident, nor a follow_error (docs/ai-office-monitor.md).
std::function<void(const std::string&, const office::IndexInputWait&,
                   office::IndexWaitNews)>
IndexWaitCallback(office::MonitorMetrics* metrics,
                  const office::MonitorConfig& config) {
  std::map<std::string, std::string> input_of;
  for (const office::FollowedLog& log : config.logs) {
    if (!log.index_of.empty()) input_of[log.origin] = log.index_of;
  }
  return [metrics, input_of](const std::string& origin,
                             const office::IndexInputWait& w,
                             office::IndexWaitNews news) {
    const bool ended = news == office::IndexWaitNews::kEnded;
    if (ended) {
      metrics->IndexInputNotWaiting(origin);
    } else {
      metrics->IndexInputWaiting(origin, w.seen - w.since,
                                 w.named_size - w.held_size);
    }
    const std::string since = absl::StrCat(absl::ToUnixSeconds(w.since));
    if (news == office::IndexWaitNews::kNew) {
      LogEvent("warning", "index_input_waiting",
               {{"origin", origin},
                {"input_origin", input_of.at(origin)},
                {"output_leaf", absl::StrCat(w.leaf)},
                {"named_input_size", absl::StrCat(w.named_size)},
                {"held_input_size", absl::StrCat(w.held_size)},
                {"waiting_since", since},
                {"waited_seconds",
                 absl::StrCat(absl::ToInt64Seconds(w.seen - w.since))}});
    } else if (ended) {
      const absl::Time now = common::RealClock::Get()->Now();
      LogEvent("info", "index_input_wait_ended",
               {{"origin", origin},
                {"input_origin", input_of.at(origin)},
                {"output_leaf", absl::StrCat(w.leaf)},
                {"named_input_size", absl::StrCat(w.named_size)},
                {"waiting_since", since},
                {"waited_seconds",
                 absl::StrCat(absl::ToInt64Seconds(now - w.since))}});
    }
  };
}

office::MonitorOptions Callbacks(const office::MonitorConfig& config,
                                 office::MonitorMetrics* metrics,
                                 office::OfficeLedgerSink* sink) {
  office::MonitorOptions options;
  options.on_index_wait = IndexWaitCallback(metrics, config);
  options.poll_interval = absl::GetFlag(FLAGS_poll_interval);
  options.on_incident = [metrics, sink](const office::LogIncident& i) {
    metrics->Incident(i);
    LogEvent("error", "log_incident",
             {{"origin", i.origin},
              {"kind", std::string(office::IncidentKindName(i.kind))},
              {"stopped_at_size", absl::StrCat(i.stopped_at_size)},
              {"leaf_index",
               i.leaf_index ? absl::StrCat(*i.leaf_index) : std::string()},
              {"reason", i.reason}});
    if (sink != nullptr) LogRecorded(i.origin, sink->Sync(i.origin));
  };
  options.on_step = [sink](const std::string& origin,
                           const office::StepOutcome& s) {
    LogEvent("info", "log_advanced",
             {{"origin", origin},
              {"verified_size", absl::StrCat(s.verified_size)},
              {"checkpoint_size", absl::StrCat(s.checkpoint_size)},
              {"new_entries", absl::StrCat(s.new_entries)}});
    if (sink != nullptr) LogRecorded(origin, sink->Sync(origin));
  };
  options.on_error = [metrics](const std::string& origin,
                               const absl::Status& s) {
    metrics->Error(origin);
    LogEvent("warning", "follow_error",
             {{"origin", origin}, {"error", s.ToString()}});
  };
  return options;
}

struct WitnessParts {
  std::unique_ptr<witness::WitnessStore> store;
  std::unique_ptr<witness::Witness> witness;
  std::unique_ptr<witness::WitnessHttpServer> server;
};

// The tlog-witness side (monitor_witness.h), when a key is given. What its
// cosignature states: the monitor verified every entry up to the size
// (and, for an index's output log, replayed every update: its follower
// commits nothing else, index_check.h).
absl::StatusOr<WitnessParts> StartWitness(const office::MonitorConfig& config,
                                          const office::Mirror* mirror) {
  WitnessParts parts;
  if (absl::GetFlag(FLAGS_witness_key_file).empty()) return parts;
  if (absl::GetFlag(FLAGS_witness_name).empty()) {
    return absl::InvalidArgumentError(
        "--witness_name is required with --witness_key_file");
  }
  absl::StatusOr<std::unique_ptr<ledger::crypto::SigningKey>> key =
      ledger::crypto::ReadSecretKeyFile(absl::GetFlag(FLAGS_witness_key_file));
  if (!key.ok()) return key.status();
  absl::StatusOr<std::unique_ptr<ledger::note::Cosigner>> cosigner =
      ledger::note::Cosigner::Create(absl::GetFlag(FLAGS_witness_name),
                                     *std::move(key));
  if (!cosigner.ok()) return cosigner.status();
  std::string lines;
  for (const office::FollowedLog& log : config.logs) {
    absl::StrAppend(&lines, "log ", log.vkey, "\n");
  }
  absl::StatusOr<witness::TrustedLogs> logs =
      witness::TrustedLogs::Parse(lines);
  if (!logs.ok()) return logs.status();
  absl::StatusOr<std::unique_ptr<witness::WitnessStore>> store =
      witness::WitnessStore::Open(absl::GetFlag(FLAGS_state_dir) + "/witness");
  if (!store.ok()) return store.status();
  parts.store = *std::move(store);
  absl::StatusOr<std::unique_ptr<witness::Witness>> w =
      witness::Witness::Create(*std::move(cosigner), *std::move(logs),
                               parts.store.get(), common::RealClock::Get(),
                               office::VerifiedUpToSize(mirror),
                               office::AnnouncedLogKeys(mirror));
  if (!w.ok()) return w.status();
  parts.witness = *std::move(w);
  witness::WitnessHttpServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_witness_listen);
  absl::StatusOr<std::unique_ptr<witness::WitnessHttpServer>> server =
      witness::WitnessHttpServer::Start(parts.witness.get(), options);
  if (!server.ok()) return server.status();
  parts.server = *std::move(server);
  return parts;
}

int Run() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  if (absl::GetFlag(FLAGS_config).empty() ||
      absl::GetFlag(FLAGS_state_dir).empty()) {
    return Fail("bad_flags", absl::InvalidArgumentError(
                                 "--config and --state_dir are required"));
  }
  absl::StatusOr<office::MonitorConfig> config =
      office::ReadMonitorConfig(absl::GetFlag(FLAGS_config));
  if (!config.ok()) return Fail("bad_config", config.status());
  // The state folder itself (systemd's StateDirectory= makes it too).
  if (::mkdir(absl::GetFlag(FLAGS_state_dir).c_str(), 0700) != 0 &&
      errno != EEXIST) {
    return Fail("state_open_failed",
                common::ErrnoToStatus(errno, absl::GetFlag(FLAGS_state_dir)));
  }
  absl::StatusOr<std::unique_ptr<office::Mirror>> mirror =
      office::Mirror::Open(absl::GetFlag(FLAGS_state_dir) + "/mirror");
  if (!mirror.ok()) return Fail("state_open_failed", mirror.status());
  office::MonitorMetrics metrics(common::kVersion);
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    if (absl::Status s = metrics.Serve(absl::GetFlag(FLAGS_metrics_listen));
        !s.ok()) {
      return Fail("metrics_listen_failed", s);
    }
  }
  absl::StatusOr<std::vector<std::unique_ptr<office::LogFollower>>> followers =
      Followers(*config, mirror->get(), &metrics);
  if (!followers.ok()) return Fail("state_load_failed", followers.status());
  absl::StatusOr<WitnessParts> witness = StartWitness(*config, mirror->get());
  if (!witness.ok()) return Fail("witness_failed", witness.status());
  absl::StatusOr<std::unique_ptr<office::OfficeLedgerSink>> sink =
      OpenOfficeLedger(*config, mirror->get());
  if (!sink.ok()) return Fail("office_ledger_failed", sink.status());
  if (*sink != nullptr) LogRecorded("", (*sink)->SyncAll());
  office::Monitor monitor(*std::move(followers),
                          Callbacks(*config, &metrics, sink->get()));
  monitor.Start();
  std::vector<std::string> origins;
  for (const office::FollowedLog& log : config->logs) {
    origins.push_back(log.origin);
  }
  LogEvent(
      "info", "monitor_started",
      {{"logs", absl::StrJoin(origins, ",")},
       {"witness_port", witness->server ? absl::StrCat(witness->server->port())
                                        : std::string()},
       {"witness_vkey", witness->witness
                            ? witness->witness->cosigner().VerifierKey()
                            : std::string()}});
  int signal = 0;
  sigwait(&stop_signals, &signal);
  LogEvent("info", "monitor_stopping", {{"signal", absl::StrCat(signal)}});
  witness->server.reset();
  monitor.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::SetProgramUsageMessage(
      "office_monitor --config=FILE --state_dir=DIR [--witness_key_file=K "
      "--witness_name=NAME --witness_listen=HOST:PORT] "
      "[--office_server=HOST:PORT --office_vkey=V [--office_tls_*] | "
      "--office_ledger_dir=D] [--office_rules_key=K --office_key=K]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 1) {
    std::cerr << "office_monitor: unexpected argument \"" << args[1] << "\"\n";
    return 2;
  }
  return Run();
}
