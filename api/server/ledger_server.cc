#include "api/server/ledger_server.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/index/index_host.h"
#include "api/server/admin_service.h"
#include "api/server/audit_service.h"
#include "api/server/call_metrics_interceptor.h"
#include "api/server/checkpoint_publisher.h"
#include "api/server/connection_gate.h"
#include "api/server/fold_follower.h"
#include "api/server/ingest_service.h"
#include "api/server/ledger_model_view.h"
#include "api/server/log.h"
#include "api/server/malformed_request_interceptor.h"
#include "api/server/storage_watch.h"
#include "api/server/transport_refusal.h"
#include "common/read_file.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace api::server {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": no file given (or use insecure loopback mode)"));
  }
  absl::StatusOr<std::string> content = common::ReadWholeFile(path);
  if (!content.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": cannot read ", path, " (", content.status().message(), ")"));
  }
  return content;
}

bool IsLoopbackAddress(absl::string_view address) {
  return absl::StartsWith(address, "127.0.0.1:") ||
         absl::StartsWith(address, "[::1]:") ||
         absl::StartsWith(address, "localhost:");
}

// The PEM files of mTLS, read once at start (so that a bad flag is reported
// before anything else starts); empty in insecure loopback mode.
struct TlsFiles {
  std::string cert, key, ca;
};

absl::StatusOr<TlsFiles> ReadTlsFiles(const ServerOptions& options) {
  if (options.insecure_loopback) {
    if (!IsLoopbackAddress(options.listen_address)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen address: got ", options.listen_address,
          ", insecure loopback mode wants 127.0.0.1:PORT, [::1]:PORT or "
          "localhost:PORT"));
    }
    return TlsFiles{};
  }
  absl::StatusOr<std::string> cert =
      ReadFile(options.tls_cert_file, "TLS certificate");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(options.tls_key_file, "TLS key");
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> ca =
      ReadFile(options.tls_client_ca_file, "TLS client CA");
  if (!ca.ok()) return ca.status();
  return TlsFiles{*std::move(cert), *std::move(key), *std::move(ca)};
}

// `verifier` (may be null) runs after the chain verified
// (transport_refusal.h).
std::shared_ptr<grpc::ServerCredentials> Credentials(
    const ServerOptions& options, const TlsFiles& files,
    std::shared_ptr<grpc::experimental::CertificateVerifier> verifier) {
  if (options.insecure_loopback) return grpc::InsecureServerCredentials();
  // A peer without a certificate that verifies against the CA fails the
  // handshake and is dropped at once: it cannot hold a connection (and a
  // descriptor) idle. Health checks without a certificate go to the
  // loopback health port (ServerOptions::health_listen_address).
  auto provider =
      std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
          files.ca, std::vector<grpc::experimental::IdentityKeyCertPair>{
                        {files.key, files.cert}});
  grpc::experimental::TlsServerCredentialsOptions tls(provider);
  tls.watch_root_certs();
  tls.watch_identity_key_cert_pairs();
  tls.set_cert_request_type(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (verifier != nullptr) tls.set_certificate_verifier(std::move(verifier));
  return grpc::experimental::TlsServerCredentials(tls);
}

// The options Start checks before it builds anything: a positive checkpoint
// interval, readable TLS files, a loopback health port and a ledger that can
// sign checkpoints. Returns the TLS files.
absl::StatusOr<TlsFiles> CheckStartOptions(ledger::Ledger* ledger,
                                           const ServerOptions& options) {
  if (options.checkpoint_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "checkpoint interval: want a positive duration");
  }
  absl::StatusOr<TlsFiles> tls_files = ReadTlsFiles(options);
  if (!tls_files.ok()) return tls_files.status();
  if (!options.health_listen_address.empty() &&
      !IsLoopbackAddress(options.health_listen_address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "health listen address: got ", options.health_listen_address,
        ", want 127.0.0.1:PORT, [::1]:PORT or localhost:PORT (it needs no "
        "client certificate)"));
  }
  // A server that cannot sign checkpoints would accept entries it never
  // proves: refuse to start with a retired log key or a half-done rotation.
  if (absl::Status can_publish = ledger->CheckCanPublish(); !can_publish.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--log_key: ", can_publish.message()));
  }
  return tls_files;
}

// The figures the metrics sampler reads from the ledger and the services.
// The sampler's view of a collector's witnesses (none without one).
std::vector<ServerSample::Witness> SampleWitnesses(
    const WitnessCollector* witnesses) {
  std::vector<ServerSample::Witness> out;
  if (witnesses == nullptr) return out;
  for (const WitnessReport& w : witnesses->Reports()) {
    out.push_back({w.name, w.cosigned_size, w.behind});
  }
  return out;
}

ServerSample SampleServer(ledger::Ledger* ledger,
                          const CheckpointPublisher* publisher,
                          IngestService* ingest,
                          const WitnessCollector* witnesses,
                          const WitnessCollector* index_witnesses) {
  ServerSample s;
  s.tree_size = ledger->Size();
  if (absl::StatusOr<std::string> note = ledger->LatestCheckpoint();
      note.ok()) {
    s.checkpoint_size = CheckpointNoteSize(*note).value_or(0);
  }
  s.checkpoint_age_seconds = publisher->CheckpointAgeSeconds();
  const IngestSample queue = ingest->Sample();
  s.queued_batches = queue.queued_batches;
  s.queued_request_bytes = queue.queued_bytes;
  const ledger::TreeState::CacheStats cache = ledger->TreeCacheStats();
  s.tree_cache_hits = cache.hits;
  s.tree_cache_misses = cache.misses;
  s.storage_bytes = ledger->store().ApproximateDiskBytes();
  s.witnesses = SampleWitnesses(witnesses);
  s.index_witnesses = SampleWitnesses(index_witnesses);
  return s;
}

// One step of the hosted index (api/index/index_host.h). Before the first
// checkpoint there is nothing to index; other failures are logged and the
// next tick tries again (the index only ever moves by whole checkpoints).
// Then the output log's latest checkpoint goes to its witnesses (when any),
// as the publisher does for the log's own: also when this step appended
// nothing, so a restarted server gathers the cosignatures again.
void UpdateIndex(api::index::IndexHost& index, WitnessCollector* witnesses) {
  absl::StatusOr<api::index::FollowStep> step = index.Update();
  if (!step.ok() && !absl::IsNotFound(step.status())) {
    LogEvent("warning", "index_update_failed",
             {{"error", step.status().ToString()}});
  }
  if (witnesses == nullptr) return;
  absl::StatusOr<std::string> note = index.output_ledger()->LatestCheckpoint();
  if (!note.ok()) return;  // nothing published yet
  absl::StatusOr<uint64_t> size = CheckpointNoteSize(*note);
  if (!size.ok()) return;
  witnesses->Offer(*note, *size);
  witnesses->AwaitRound(*size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<LedgerServer>> LedgerServer::Start(
    ledger::Ledger* ledger, ServerOptions options) {
  if (options.clock == nullptr) options.clock = common::RealClock::Get();
  absl::StatusOr<TlsFiles> tls_files = CheckStartOptions(ledger, options);
  if (!tls_files.ok()) return tls_files.status();

  auto server = std::unique_ptr<LedgerServer>(new LedgerServer());
  if (absl::Status s = server->LoadCrl(options); !s.ok()) return s;
  if (absl::Status s = server->StartModelView(ledger, options); !s.ok()) {
    return s;
  }
  if (absl::Status s = server->StartWitnesses(ledger, &options); !s.ok()) {
    return s;
  }
  server->CreateServices(ledger, &options);
  const double disconnect_seconds =
      options.fairness.bad_signature_disconnect_seconds;
  const std::shared_ptr<grpc::ServerCredentials> credentials = Credentials(
      options, *tls_files,
      disconnect_seconds > 0
          ? BackoffCertificateVerifier(server->ingest_->backoff(),
                                       disconnect_seconds, options.metrics)
          : nullptr);
  if (absl::Status s = server->Listen(options, credentials); !s.ok()) return s;
  server->StartBackgroundWork(ledger, options);
  LogEvent("info", "server_started",
           {{"address", options.listen_address},
            {"port", absl::StrCat(server->port_)},
            {"health_port", absl::StrCat(server->health_port_)},
            {"mode", options.insecure_loopback ? "insecure_loopback" : "mtls"},
            {"origin", ledger->origin()},
            {"tree_size", absl::StrCat(ledger->Size())}});
  return server;
}

absl::Status LedgerServer::LoadCrl(const ServerOptions& options) {
  if (options.tls_crl_file.empty()) return absl::OkStatus();
  if (options.insecure_loopback) {
    return absl::InvalidArgumentError(
        "--tls_crl: certificates are revoked only with mTLS");
  }
  crl_file_ = options.tls_crl_file;
  client_ca_file_ = options.tls_client_ca_file;
  if (absl::Status s = ReloadCrl(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_crl: ", s.message()));
  }
  return absl::OkStatus();
}

// The checkpoint publisher and the server's fold of the log, caught up now
// and, on the follower's thread, after each publisher tick (which also trims
// memory): never on the publisher's thread, where a long fold would delay
// the next checkpoint and every receipt waiting for it.
absl::Status LedgerServer::StartModelView(ledger::Ledger* ledger,
                                          const ServerOptions& options) {
  publisher_ = std::make_unique<CheckpointPublisher>(
      ledger, options.clock, options.checkpoint_interval);
  absl::StatusOr<std::unique_ptr<LedgerModelView>> models =
      LedgerModelView::Create(ledger, options.rules_pack_path);
  if (!models.ok()) return models.status();
  models_ = *std::move(models);
  absl::Status caught_up = models_->CatchUp();
  if (!caught_up.ok()) return caught_up;
  LedgerModelView* view = models_.get();
  if (absl::Status s = StartIndex(ledger, options); !s.ok()) return s;
  api::index::IndexHost* index = index_.get();
  WitnessCollector* index_witnesses = index_witnesses_.get();
  // Real time, like the publisher's interval (options.clock dates figures).
  trimmer_ = std::make_unique<MemoryTrimmer>(
      options.memory_trim, common::RealClock::Get(), ProcessHeap());
  MemoryTrimmer* trimmer = trimmer_.get();
  follower_ =
      std::make_unique<FoldFollower>([view, trimmer, index, index_witnesses] {
        absl::Status s = view->CatchUp();
        if (!s.ok()) {
          LogEvent("warning", "model_view_catch_up_failed",
                   {{"error", s.ToString()}});
        }
        if (index != nullptr) UpdateIndex(*index, index_witnesses);
        trimmer->MaybeTrim();
      });
  FoldFollower* follower = follower_.get();
  publisher_->set_after_tick([follower] { follower->Kick(); });
  return absl::OkStatus();
}

// The hosted index (options.open_index) and the witnesses of its output log
// (options.index_witness_policy, else options.witness_policy): its
// Audit.GetModelEntries heads carry the cosignatures they gave.
absl::Status LedgerServer::StartIndex(ledger::Ledger* ledger,
                                      const ServerOptions& options) {
  if (!options.open_index) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<api::index::IndexHost>> index =
      options.open_index(*ledger);
  if (!index.ok()) return index.status();
  index_ = *std::move(index);
  const std::optional<ledger::witness_policy::Policy>& policy =
      options.index_witness_policy.has_value() ? options.index_witness_policy
                                               : options.witness_policy;
  if (!policy.has_value()) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<WitnessCollector>> witnesses =
      WitnessCollector::Start(index_->output_ledger(), *policy,
                              options.witness_options);
  if (!witnesses.ok()) return witnesses.status();
  index_witnesses_ = *std::move(witnesses);
  const WitnessCollector* collector = index_witnesses_.get();
  index_->set_cosigned([collector](const std::string& note, uint64_t size) {
    return collector->WithCosignatures(note, size);
  });
  return absl::OkStatus();
}

const ledger::Ledger* LedgerServer::index_output() const {
  return index_ != nullptr ? index_->output_ledger() : nullptr;
}

// The witnesses of options->witness_policy (none without one): asked after
// each new checkpoint on the publisher's thread, bounded by the request
// timeout; with wait_for_quorum the receipts' waiters rely on the quorum.
absl::Status LedgerServer::StartWitnesses(ledger::Ledger* ledger,
                                          ServerOptions* options) {
  if (!options->witness_policy.has_value()) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<WitnessCollector>> witnesses =
      WitnessCollector::Start(ledger, *options->witness_policy,
                              options->witness_options);
  if (!witnesses.ok()) return witnesses.status();
  witnesses_ = *std::move(witnesses);
  WitnessCollector* collector = witnesses_.get();
  publisher_->set_after_publish([collector](const std::string& note) {
    absl::StatusOr<uint64_t> size = CheckpointNoteSize(note);
    if (!size.ok()) return;
    collector->Offer(note, *size);
    collector->AwaitRound(*size);
  });
  if (options->wait_for_quorum) {
    publisher_->set_cover(
        [collector] { return collector->QuorumSize(); },
        [collector](uint64_t size) { return collector->WhyNoQuorum(size); });
  }
  return absl::OkStatus();
}

// The metrics (the server's own when options->metrics is null, which then
// points at them) and the three services.
void LedgerServer::CreateServices(ledger::Ledger* ledger,
                                  ServerOptions* options) {
  if (options->metrics == nullptr) {
    owned_metrics_ = std::make_unique<ServerMetrics>(options->version);
    options->metrics = owned_metrics_.get();
  }
  metrics_ = options->metrics;
  ServiceDeps deps{ledger,          publisher_.get(),           models_.get(),
                   options->clock,  options->insecure_loopback, &revocations_,
                   options->metrics};
  deps.witnesses = witnesses_.get();
  deps.index = index_.get();
  deps.index_witnesses = index_witnesses_.get();
  deps.wait_for_quorum = witnesses_ != nullptr && options->wait_for_quorum;
  ingest_ = std::make_unique<IngestService>(deps, options->fairness,
                                            options->verify_threads);
  audit_ = std::make_unique<AuditService>(
      deps, options->fairness.max_watchers_per_identity);
  admin_ = std::make_unique<AdminService>(deps, options->version);
}

// Binds the main port (our accept loop: descriptor reserve, connection cap;
// gRPC's handshake and transport) and the health port, and starts serving.
absl::Status LedgerServer::Listen(
    const ServerOptions& options,
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  absl::StatusOr<std::unique_ptr<ConnectionGate>> gate = ConnectionGate::Listen(
      options.listen_address,
      ConnectionGateOptions{options.fd_reserve, options.max_connections});
  if (!gate.ok()) return gate.status();
  gate_ = *std::move(gate);
  port_ = gate_->port();
  grpc::ServerBuilder builder;
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor =
      builder.experimental().AddExternalConnectionAcceptor(
          grpc::ServerBuilder::experimental_type::ExternalConnectionType::
              FROM_FD,
          credentials);
  if (!options.health_listen_address.empty()) {
    builder.AddListeningPort(options.health_listen_address,
                             grpc::InsecureServerCredentials(), &health_port_);
  }
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  ApplyTransportLimits(options.transport, &builder);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(MalformedRequestInterceptorFactory());
  // After the one above: it counts the status as rewritten.
  interceptors.push_back(CallMetricsInterceptorFactory(options.metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(ingest_.get());
  builder.RegisterService(audit_.get());
  builder.RegisterService(admin_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0 ||
      (!options.health_listen_address.empty() && health_port_ == 0)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     options.health_listen_address.empty() ? "" : " and ",
                     options.health_listen_address));
  }
  if (!options.insecure_loopback) {
    // Every local tool shares the identity "local": never cut it off.
    ConnectionGate* connection_gate = gate_.get();
    ingest_->set_sever([connection_gate](const std::string& peer) {
      return connection_gate->Sever(peer);
    });
  }
  gate_->Start(std::move(acceptor));
  return absl::OkStatus();
}

// The storage watch, the checkpoint publisher and the metrics sampler.
void LedgerServer::StartBackgroundWork(ledger::Ledger* ledger,
                                       const ServerOptions& options) {
  storage_watch_ = std::make_unique<StorageWatch>(
      ledger, server_->GetHealthCheckService(), options.storage_check_interval,
      options.on_storage_failure);
  publisher_->Start();
  CheckpointPublisher* publisher = publisher_.get();
  IngestService* ingest = ingest_.get();
  const WitnessCollector* witnesses = witnesses_.get();
  const WitnessCollector* index_witnesses = index_witnesses_.get();
  metrics_->set_sampler([ledger, publisher, ingest, witnesses,
                         index_witnesses] {
    return SampleServer(ledger, publisher, ingest, witnesses, index_witnesses);
  });
}

absl::Status LedgerServer::ReloadCrl() {
  if (crl_file_.empty()) return absl::OkStatus();
  absl::Status loaded = revocations_.Load(crl_file_, client_ca_file_);
  if (loaded.ok()) {
    LogEvent(
        "info", "crl_loaded",
        {{"file", crl_file_}, {"revoked", absl::StrCat(revocations_.size())}});
  } else {
    LogEvent("error", "crl_load_failed",
             {{"file", crl_file_}, {"error", loaded.ToString()}});
  }
  return loaded;
}

LedgerServer::~LedgerServer() {
  // The owner calls Shutdown() to see its status; here it is dropped.
  (void)Shutdown(absl::Seconds(1));
}

absl::Status LedgerServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return final_status_;
  shut_down_ = true;
  // Scrapes from now on see the last values; nothing reads what stops below.
  if (metrics_ != nullptr) metrics_->set_sampler(nullptr);
  storage_watch_.reset();
  if (gate_ != nullptr) gate_->Stop();  // no new connections
  if (server_ != nullptr) {
    if (auto* health = server_->GetHealthCheckService()) {
      health->Shutdown();
    }
    // The publisher keeps ticking meanwhile, so calls waiting for a
    // checkpoint are answered; streams are cancelled at the deadline.
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  final_status_ = publisher_->Stop();
  follower_.reset();  // nothing kicks it any more
  LogEvent(final_status_.ok() ? "info" : "error", "server_stopped",
           {{"final_checkpoint", final_status_.ToString()}});
  return final_status_;
}

}  // namespace api::server
