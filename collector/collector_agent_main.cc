// collector_agent: thin CLI over the collector libraries.
//
//   collector_agent run --spool_dir=DIR [--replay=FILE] [--out_dir=DIR]
//                       [--interval=5m] [--cluster=C] [--node=N]
//                       [--secret_file=F] [--ledger_server=H:P --key=K
//                       --origin=O --vkey=V [--tls_ca --tls_cert --tls_key]
//                       [--policy=FILE]]   (witness quorum for durability)
//                       [--replay_devices=FILE]   (daemon without NVML)
//                       [--metrics_listen=HOST:PORT]  (Prometheus /metrics)
//   collector_agent job-start --spool_dir=DIR key=value...   (or Slurm env)
//   collector_agent job-end   --spool_dir=DIR run=<run id> exit=<code>
//   collector_agent reship-rejected --spool_dir=DIR
//   collector_agent --version
//
// job-start / job-end hand off to the daemon through files in
// DIR/control/ (collector/README.md, "Job hand-off"); the daemon applies
// them once a second. Without --ledger_server, `run` writes envelopes to
// --out_dir (development). Exit status of `run` (collector/README.md): 0 all
// shipped (or stopped by SIGTERM/SIGINT with nothing held), 1 an error
// (e.g. the ledger unreachable: records stay spooled), 3 records HELD
// because the ledger does not accept this node's key or certificate.
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/client/channel.h"
#include "api/client/ledger_client.h"
#include "api/client/witness_quorum_check.h"
#include "collector/agent/agent_metrics.h"
#include "collector/agent/agent_step.h"
#include "collector/agent/control_dir.h"
#include "collector/agent/daemon_loop.h"
#include "collector/agent/kernel_summary_inbox.h"
#include "collector/agent/kernel_summary_listener.h"
#include "collector/agent/node_agent.h"
#include "collector/agent/replay_driver.h"
#include "collector/nvml/nvml_gpu_source.h"
#include "collector/nvml/replay_gpu_source.h"
#include "collector/spool/dev_sinks.h"
#include "collector/spool/grpc_shipper.h"
#include "collector/spool/ledger_record_signer.h"
#include "collector/spool/reship.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_file.h"
#include "collector/spool/spool_shipper.h"
#include "common/clock.h"
#include "common/production_runtime.h"
#include "common/renamed_flag.h"
#include "common/status_macros.h"
#include "common/version.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/envelope.h"

ABSL_FLAG(std::string, spool_dir, "/var/spool/aifl-collector", "spool folder");
ABSL_FLAG(std::string, replay, "",
          "replay file (collector/FORMAT.md) instead of NVML");
ABSL_FLAG(std::string, out_dir, "",
          "write envelopes here (no ledger configured)");
ABSL_FLAG(absl::Duration, interval, absl::Minutes(5), "IntervalReport length");
ABSL_FLAG(std::string, cluster, "cluster", "cluster name (run id prefix)");
ABSL_FLAG(std::string, node, "", "node name; default: hostname");
ABSL_FLAG(std::string, secret_file, "", "factory secret for user pseudonyms");
ABSL_FLAG(std::string, key, "",
          "the node's enrolled collector key file (ledgerctl keygen); without "
          "it envelopes are NOT signed (development only)");
ABSL_FLAG(std::string, summary_socket, "/run/aifl/collector.sock",
          "Unix socket for the CUPTI injection library's kernel summaries "
          "(AIFL_AGENT_SOCKET in jobs); empty: do not listen");
ABSL_FLAG(std::string, ledger_server, "",
          "ledger server host:port to ship to (needs --key, --origin, --vkey); "
          "without it, --out_dir receives the envelopes (development)");
ABSL_FLAG(std::string, vkey, "", "the ledger's note verifier key");
ABSL_FLAG(std::string, policy, "",
          "a C2SP tlog-policy file: a shipped record counts as durably "
          "logged (and leaves the spool) only once a checkpoint cosigned by "
          "its witness quorum includes it; until then it stays spooled and "
          "the error names the missing witnesses");
ABSL_FLAG(std::string, tls_ca, "",
          "CA file of the ledger server's certificate (PEM); empty: plaintext, "
          "loopback only");
ABSL_FLAG(std::string, tls_cert, "",
          "this node's TLS client certificate chain (PEM)");
ABSL_FLAG(std::string, tls_key, "", "this node's TLS client private key (PEM)");
// Renamed in 0.5.0 (common/renamed_flag.h); removed in 0.6.0.
ABSL_FLAG(std::string, ca, "", "deprecated: use --tls_ca");
ABSL_FLAG(std::string, cert, "", "deprecated: use --tls_cert");
ABSL_FLAG(std::string, replay_devices, "",
          "daemon without NVML (tests, demos on GPU-less hosts): the GPUs are "
          "the device lines of this replay file (collector/FORMAT.md), which "
          "must hold no samples or job lines; polls then give no readings "
          "(counted missing, never zero); jobs come from the control folder");
ABSL_FLAG(std::string, metrics_listen, "",
          "daemon: serve Prometheus metrics on http://HOST:PORT/metrics "
          "(port 0 picks one; the address is logged); empty: none");
ABSL_FLAG(std::string, origin, "",
          "the ledger's origin the envelopes are signed for (with --key)");

namespace {

using collector::agent::NodeAgent;
using collector::spool::ShipStats;

// `run` ended with records held: the ledger does not accept the key/cert.
constexpr int kExitHeld = 3;

volatile std::sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "collector_agent: %s\n", s.ToString().c_str());
  return 1;
}

// One stdout line saying what each count counts, then, when records are
// held, one stderr line and kExitHeld; otherwise `status`'s exit code.
int Summarize(const char* what, const ShipStats& st,
              const collector::spool::Spool& spool, const std::string& to,
              const absl::Status& status) {
  const size_t spooled = spool.pending_count() + spool.sealed_count();
  std::printf(
      "%s: %llu measurements %s, %llu refusal markers shipped, "
      "%llu records refused (kept in rejected/), %llu records with a used "
      "sequence number (kept in rejected/), %zu records still in the spool "
      "(%s)\n",
      what, static_cast<unsigned long long>(st.measurements_shipped),
      to.c_str(), static_cast<unsigned long long>(st.markers_shipped),
      static_cast<unsigned long long>(st.refused),
      static_cast<unsigned long long>(st.number_taken), spooled,
      st.held > 0 ? "HELD" : "none held");
  std::fflush(stdout);
  if (st.held > 0) {
    std::fprintf(stderr,
                 "collector_agent: %zu records HELD in the spool, not "
                 "refused: %s; they ship once the key is enrolled / the "
                 "certificate fixed (exit %d)\n",
                 spooled, st.hold_reason.ToString().c_str(), kExitHeld);
    return kExitHeld;
  }
  return status.ok() ? 0 : Fail(status);
}

std::string NodeName() {
  if (!absl::GetFlag(FLAGS_node).empty()) return absl::GetFlag(FLAGS_node);
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return host;
}

std::string Secret() {
  const std::string path = absl::GetFlag(FLAGS_secret_file);
  if (path.empty()) {
    std::fprintf(stderr,
                 "collector_agent: WARNING no --secret_file: using a "
                 "fixed development secret for pseudonyms\n");
    return std::string(32, 'd');
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Opens --spool_dir for this process only (<spool_dir>/lock, held until
// exit): two processes on one spool would reuse file ids.
absl::StatusOr<std::unique_ptr<collector::spool::Spool>> OpenSpool() {
  const std::string dir = absl::GetFlag(FLAGS_spool_dir);
  absl::Status made = collector::spool::EnsureDir(dir);
  if (!made.ok()) return made;
  absl::StatusOr<int> lock = collector::spool::LockExclusively(dir + "/lock");
  if (!lock.ok()) return lock.status();
  return collector::spool::Spool::Open(dir);  // the lock fd stays open
}

// The daemon's GPUs: NVML, or the devices of --replay_devices.
absl::StatusOr<std::unique_ptr<collector::nvml::GpuSource>> OpenDaemonSource(
    common::Clock* clock) {
  const std::string path = absl::GetFlag(FLAGS_replay_devices);
  if (path.empty()) {
    auto nvml = collector::nvml::NvmlGpuSource::Open(clock);
    if (!nvml.ok()) return nvml.status();
    return std::unique_ptr<collector::nvml::GpuSource>(*std::move(nvml));
  }
  auto file = collector::nvml::ReadReplayFile(path);
  if (!file.ok()) return file.status();
  if (!file->samples.empty() || !file->job_events.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--replay_devices: ", path,
        " holds samples or job lines; want device lines only (use --replay "
        "to play a recording)"));
  }
  return std::unique_ptr<collector::nvml::GpuSource>(
      std::make_unique<collector::nvml::ReplayGpuSource>(*std::move(file)));
}

// Where sealed envelopes go: the ledger (signed with the node's key, shipped
// and proven over gRPC) or, for development, --out_dir (unsigned without
// --key). Owns what it builds; the pointers are its parts.
struct Destination {
  std::string description;  // for the summary line
  collector::spool::DevUnsignedSigner dev_signer;
  std::unique_ptr<collector::spool::LedgerRecordSigner> ledger_signer;
  std::unique_ptr<collector::spool::DirectoryShipper> dir_shipper;
  collector::spool::DirectoryReceiptVerifier dir_verifier;
  std::unique_ptr<api::client::LedgerClient> client;
  std::unique_ptr<collector::spool::GrpcLedgerShipper> grpc_shipper;
  collector::spool::RecordSigner* signer = nullptr;
  collector::spool::Shipper* shipper = nullptr;
  collector::spool::ReceiptVerifier* verifier = nullptr;
};

absl::Status CheckDestinationFlags() {
  if (absl::GetFlag(FLAGS_ledger_server).empty()) {
    if (absl::GetFlag(FLAGS_out_dir).empty()) {
      return absl::InvalidArgumentError(
          "give --ledger_server (with --key, --origin, --vkey) or --out_dir");
    }
  } else if (absl::GetFlag(FLAGS_key).empty() ||
             absl::GetFlag(FLAGS_vkey).empty()) {
    return absl::InvalidArgumentError(
        "--ledger_server needs --key, --origin and --vkey");
  }
  if (!absl::GetFlag(FLAGS_key).empty() &&
      absl::GetFlag(FLAGS_origin).empty()) {
    return absl::InvalidArgumentError("--key needs --origin");
  }
  return absl::OkStatus();
}

// The verifying gRPC client of --ledger_server; its trusted checkpoint lives
// in the spool folder.
absl::StatusOr<std::unique_ptr<api::client::LedgerClient>> ConnectLedger(
    const std::string& spool_dir) {
  api::client::ChannelOptions channel_options;
  channel_options.target = absl::GetFlag(FLAGS_ledger_server);
  channel_options.insecure = absl::GetFlag(FLAGS_tls_ca).empty();
  channel_options.ca_file = absl::GetFlag(FLAGS_tls_ca);
  channel_options.cert_file = absl::GetFlag(FLAGS_tls_cert);
  channel_options.key_file = absl::GetFlag(FLAGS_tls_key);
  auto channel = api::client::MakeChannel(channel_options);
  if (!channel.ok()) return channel.status();
  api::client::LedgerClientOptions client_options;
  client_options.trusted_store_dir = spool_dir + "/trusted";
  if (!absl::GetFlag(FLAGS_policy).empty()) {
    // Proof receipts then need the quorum's cosignatures
    // (LedgerClientOptions::witness_policy).
    auto policy = api::client::LoadPolicyFile(absl::GetFlag(FLAGS_policy));
    if (!policy.ok()) return policy.status();
    client_options.witness_policy = *std::move(policy);
  }
  return api::client::LedgerClient::Create(*channel, absl::GetFlag(FLAGS_vkey),
                                           client_options);
}

absl::StatusOr<std::unique_ptr<Destination>> MakeDestination(
    const collector::spool::Spool& spool, const std::string& spool_dir) {
  auto d = std::make_unique<Destination>();
  const bool to_ledger = !absl::GetFlag(FLAGS_ledger_server).empty();
  d->description =
      to_ledger ? absl::StrCat("shipped and proven in ",
                               absl::GetFlag(FLAGS_ledger_server))
                : absl::StrCat("written to ", absl::GetFlag(FLAGS_out_dir));
  RETURN_IF_ERROR(CheckDestinationFlags());
  d->signer = &d->dev_signer;
  if (!absl::GetFlag(FLAGS_key).empty()) {
    ASSIGN_OR_RETURN(
        auto key, ledger::crypto::ReadSecretKeyFile(absl::GetFlag(FLAGS_key)));
    ASSIGN_OR_RETURN(d->ledger_signer,
                     collector::spool::LedgerRecordSigner::Create(
                         std::move(key), absl::GetFlag(FLAGS_origin), spool,
                         spool_dir + "/next_sequence", std::nullopt));
    d->signer = d->ledger_signer.get();
  }
  if (to_ledger) {
    ASSIGN_OR_RETURN(d->client, ConnectLedger(spool_dir));
    d->grpc_shipper =
        std::make_unique<collector::spool::GrpcLedgerShipper>(d->client.get());
    d->shipper = d->grpc_shipper.get();
    d->verifier = d->grpc_shipper.get();
  } else {
    d->dir_shipper = std::make_unique<collector::spool::DirectoryShipper>(
        absl::GetFlag(FLAGS_out_dir));
    d->shipper = d->dir_shipper.get();
    d->verifier = &d->dir_verifier;
  }
  return d;
}

collector::agent::AgentOptions AgentOptionsFromFlags() {
  collector::agent::AgentOptions options;
  options.cluster = absl::GetFlag(FLAGS_cluster);
  options.node = NodeName();
  options.interval = absl::GetFlag(FLAGS_interval);
  return options;
}

void Report(const absl::Status& s) { Fail(s); }  // one stderr line

// run --replay: plays the file through the agent on a fake clock, then ships
// what it spooled (one attempt per outage or hold).
int RunReplayed(collector::spool::Spool* spool, Destination* to,
                collector::agent::Pseudonymizer pseudonymizer) {
  auto file = collector::nvml::ReadReplayFile(absl::GetFlag(FLAGS_replay));
  if (!file.ok()) return Fail(file.status());
  collector::nvml::ReplayGpuSource source(*std::move(file));
  common::FakeClock clock(absl::UnixEpoch());
  const collector::agent::AgentOptions options = AgentOptionsFromFlags();
  NodeAgent agent(options, source.file().devices, std::move(pseudonymizer),
                  &clock);
  collector::agent::AgentStepParts parts;
  parts.agent = &agent;
  parts.spool = spool;
  parts.report = Report;
  absl::Status s =
      RunReplay(&source, &clock, options.cluster, std::move(parts));
  if (!s.ok()) return Fail(s);
  collector::spool::SpoolShipper ship(spool, to->signer, to->shipper,
                                      to->verifier, &clock);
  s = collector::agent::ShipReplayed(&ship, *spool, &clock);
  return Summarize("replayed", ship.stats(), *spool, to->description, s);
}

// The daemon: NVML (or --replay_devices), jobs from the control folder,
// kernel summaries from the socket, one step a second until SIGTERM/SIGINT.
int RunDaemon(collector::spool::Spool* spool, Destination* to,
              collector::agent::Pseudonymizer pseudonymizer) {
  const std::string spool_dir = absl::GetFlag(FLAGS_spool_dir);
  common::Clock* clock = common::RealClock::Get();
  auto source = OpenDaemonSource(clock);
  if (!source.ok()) return Fail(source.status());
  auto devices = (*source)->ListDevices();
  if (!devices.ok()) return Fail(devices.status());
  const collector::agent::AgentOptions options = AgentOptionsFromFlags();
  NodeAgent agent(options, *devices, std::move(pseudonymizer), clock);
  collector::spool::SpoolShipper ship(spool, to->signer, to->shipper,
                                      to->verifier, clock);
  collector::agent::ControlDir control(spool_dir + "/control");
  collector::agent::KernelSummaryInbox inbox(options.cluster, options.node);
  std::unique_ptr<collector::agent::KernelSummaryListener> listener;
  if (!absl::GetFlag(FLAGS_summary_socket).empty()) {
    auto started = collector::agent::KernelSummaryListener::Start(
        absl::GetFlag(FLAGS_summary_socket), inbox.Handler());
    if (!started.ok()) return Fail(started.status());
    listener = *std::move(started);
  }
  std::unique_ptr<collector::agent::AgentMetrics> metrics;
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    auto served = collector::agent::AgentMetrics::Serve(
        absl::GetFlag(FLAGS_metrics_listen));
    if (!served.ok()) return Fail(served.status());
    metrics = *std::move(served);
    metrics->SetGpus(devices->size());
    std::fprintf(stderr, "collector_agent: metrics on port %d\n",
                 metrics->port());
  }
  collector::agent::AgentStepParts parts;
  parts.agent = &agent;
  parts.source = source->get();
  parts.spool = spool;
  parts.shipper = &ship;
  parts.control = &control;
  parts.summaries = &inbox;
  parts.report = Report;
  collector::agent::AgentStep step(std::move(parts));
  collector::agent::DaemonLoopOptions loop;
  loop.clock = clock;
  loop.metrics = metrics.get();
  loop.spool_dir = spool_dir;
  loop.stop = [] { return g_stop != 0; };
  struct sigaction stop = {};
  stop.sa_handler = OnStopSignal;
  sigaction(SIGTERM, &stop, nullptr);
  sigaction(SIGINT, &stop, nullptr);
  collector::agent::RunDaemonLoop(&step, loop);
  return Summarize("stopped", ship.stats(), *spool, to->description,
                   absl::OkStatus());
}

int Run() {
  auto spool = OpenSpool();
  if (!spool.ok()) return Fail(spool.status());
  auto pseudonymizer = collector::agent::Pseudonymizer::Create(Secret());
  if (!pseudonymizer.ok()) return Fail(pseudonymizer.status());
  auto destination = MakeDestination(**spool, absl::GetFlag(FLAGS_spool_dir));
  if (!destination.ok()) return Fail(destination.status());
  if (!absl::GetFlag(FLAGS_replay).empty()) {
    return RunReplayed(spool->get(), destination->get(),
                       *std::move(pseudonymizer));
  }
  return RunDaemon(spool->get(), destination->get(), *std::move(pseudonymizer));
}

// Queues the measurements in rejected/ again (collector/README.md,
// "Re-shipping rejected/"). Run it with the agent stopped.
int ReshipRejected() {
  auto spool = OpenSpool();
  if (!spool.ok()) return Fail(spool.status());
  auto open = [](absl::string_view bytes)
      -> absl::StatusOr<collector::spool::OpenedEnvelope> {
    absl::StatusOr<ledger::entry::Envelope> e =
        ledger::entry::ParseEnvelope(bytes);
    if (!e.ok()) return e.status();
    return collector::spool::OpenedEnvelope{e->payload_type, e->payload};
  };
  auto counts = collector::spool::ReshipRejected(
      spool->get(), open, [](const std::string& line) {
        std::fprintf(stderr, "collector_agent: %s\n", line.c_str());
      });
  if (!counts.ok()) return Fail(counts.status());
  std::printf(
      "reship-rejected: %llu measurements queued again (the next run signs "
      "them under new sequence numbers; their files moved to "
      "rejected/reshipped/), %llu refusal markers and %llu unreadable files "
      "left in rejected/\n",
      static_cast<unsigned long long>(counts->requeued),
      static_cast<unsigned long long>(counts->markers),
      static_cast<unsigned long long>(counts->unreadable));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("collector_agent ", common::kVersion,
                        " (spool AIFLSPL1, ledger envelope v1)\n");
  };
  absl::SetFlagsUsageConfig(usage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  for (auto [old_flag, new_flag, old_name, new_name] :
       {std::tuple(&FLAGS_ca, &FLAGS_tls_ca, "ca", "tls_ca"),
        std::tuple(&FLAGS_cert, &FLAGS_tls_cert, "cert", "tls_cert")}) {
    absl::StatusOr<std::string> v = common::ResolveRenamedFlag(
        "collector_agent", old_name, absl::GetFlag(*old_flag), new_name,
        absl::GetFlag(*new_flag), std::cerr);
    if (!v.ok()) {
      std::fprintf(stderr, "collector_agent: %s\n",
                   std::string(v.status().message()).c_str());
      return 2;
    }
    absl::SetFlag(new_flag, *v);
  }
  if (args.size() < 2) {
    std::fprintf(stderr,
                 "usage: collector_agent run|job-start|job-end|"
                 "reship-rejected ... (--version, --help)\n");
    return 2;
  }
  const std::string cmd = args[1];
  if (cmd == "run" || cmd == "reship-rejected") {
    if (args.size() > 2) {  // not a flag (those were parsed): say which
      std::fprintf(stderr,
                   "collector_agent: %s takes flags only; unexpected "
                   "argument '%s'\n",
                   cmd.c_str(), args[2]);
      return 2;
    }
    return cmd == "run" ? Run() : ReshipRejected();
  }
  if (cmd == "job-start" || cmd == "job-end") {
    std::map<std::string, std::string> fields;
    for (size_t i = 2; i < args.size(); ++i) {
      std::pair<std::string, std::string> kv =
          absl::StrSplit(args[i], absl::MaxSplits('=', 1));
      fields[kv.first] = kv.second;
    }
    collector::agent::ControlDir control(absl::GetFlag(FLAGS_spool_dir) +
                                         "/control");
    absl::Status s = cmd == "job-start" ? control.SubmitStart(fields, environ)
                                        : control.SubmitEnd(fields);
    return s.ok() ? 0 : Fail(s);
  }
  std::fprintf(stderr, "collector_agent: unknown command '%s'\n", cmd.c_str());
  return 2;
}
