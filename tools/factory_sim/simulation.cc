#include "tools/factory_sim/simulation.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "api/client/channel.h"
#include "api/client/ledger_client.h"
#include "api/server/ledger_server.h"
#include "collector/agent/agent_step.h"
#include "collector/agent/node_agent.h"
#include "collector/agent/pseudonym.h"
#include "collector/agent/record.h"
#include "collector/agent/replay_driver.h"
#include "collector/nvml/replay_gpu_source.h"
#include "collector/spool/grpc_shipper.h"
#include "collector/spool/ledger_record_signer.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"
#include "common/clock.h"
#include "common/errno_status.h"
#include "common/status_macros.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/sha256.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/ledger_init.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "schema/collector.pb.h"

namespace factory_sim {
namespace {

namespace pv = aifl::provider::v1;
using collector::agent::NodeAgent;
using ledger::EntrySigner;

constexpr absl::Duration kWeek = absl::Hours(24 * 7);
// Shipping threads; node i always ships from thread i % kShipThreads.
constexpr int kShipThreads = 16;

struct Job {
  size_t model = 0;
  std::string job_id;
  absl::Time start, end;  // end = last sample
  std::vector<int> nodes;
};

struct Node {
  std::string name;
  std::vector<size_t> jobs;  // by start time
  std::unique_ptr<common::FakeClock> clock;
  std::unique_ptr<NodeAgent> agent;
  std::unique_ptr<collector::spool::Spool> spool;
  std::unique_ptr<collector::spool::LedgerRecordSigner> signer;
  std::unique_ptr<collector::spool::GrpcLedgerShipper> grpc;
  std::unique_ptr<collector::spool::SpoolShipper> shipper;
  std::unique_ptr<ledger::crypto::SigningKey> key;  // until the signer exists
  uint64_t energy_mj[kGpusPerNode] = {};
};

struct ProviderEvent {
  absl::Time time;
  size_t model = 0;
  enum Kind { kDeclare, kDocument, kPlace, kNotify } kind = kDeclare;
  pv::DocumentKind document = pv::DOCUMENT_KIND_UNSPECIFIED;
};

absl::Status MakeDirs(const std::string& dir) {
  std::string partial;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || (dir[i] == '/' && i > 0)) {
      partial = dir.substr(0, i);
      if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
        return common::ErrnoToStatus(errno, absl::StrCat("mkdir ", partial));
      }
    }
  }
  return absl::OkStatus();
}

// SHA-256 of a generated stand-in document (the documents themselves are
// not simulated, only their submission by hash).
std::string StandInDocumentSha256(const std::string& text) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  return std::string(reinterpret_cast<char*>(h), sizeof(h));
}

class Simulator {
 public:
  explicit Simulator(const SimOptions& o)
      : o_(o), rng_(o.seed), clock_(ScenarioStart() - absl::Hours(24)) {}

  absl::StatusOr<SimResult> Run();

 private:
  absl::Status Schedule();
  absl::StatusOr<std::unique_ptr<ledger::crypto::SigningKey>> ProviderKey(
      const std::string& provider) const;
  void ScheduleJobs();  // jobs_ and each node's job list, big jobs first
  // Job for model m on the n earliest-free nodes (free_at: per node).
  Job PlaceJob(size_t m, const std::vector<absl::Time>& free_at);
  void ScheduleProviderEvents();  // events_, by time
  // r_'s start, end and weeks; kFailedPrecondition past o_.max_weeks.
  absl::Status SetSimulatedSpan();
  absl::Status Enrol();
  absl::Status StartServer();
  absl::Status SubmitProvider(const ProviderEvent& e);
  absl::Status PlayNodeWeek(int n, absl::Time from, absl::Time to);
  absl::Status ShipAll();
  std::string Trace(int n, absl::Time from, absl::Time to);
  absl::Status Evaluate();
  void Progress(const std::string& line) {
    if (o_.progress) o_.progress(line);
  }

  const SimOptions& o_;
  std::mt19937_64 rng_;
  common::FakeClock clock_;  // the ledger's integration time
  std::vector<ModelPlan> plans_;
  std::vector<Job> jobs_;
  std::vector<Node> nodes_;
  std::vector<ProviderEvent> events_;
  std::map<std::string, std::unique_ptr<EntrySigner>> provider_keys_;
  std::map<size_t, uint64_t> declaration_leaf_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<api::server::LedgerServer> server_;
  std::unique_ptr<api::client::LedgerClient> client_;  // providers
  // One verifying client per shipping thread: a client's trusted checkpoint
  // only moves forward, so concurrent "latest" answers on one client could
  // arrive out of order and read as a rollback (each real node has its own).
  std::vector<std::unique_ptr<api::client::LedgerClient>> ship_clients_;
  std::map<std::string, double> measured_;
  SimResult r_;
};

absl::StatusOr<std::unique_ptr<ledger::crypto::SigningKey>>
Simulator::ProviderKey(const std::string& provider) const {
  if (o_.federation_part == 0) return ledger::crypto::SigningKey::Generate();
  // One provider, one key at every factory of the federation demo.
  const ledger::crypto::Sha256Digest seed = ledger::crypto::Sha256(
      {"aifl factory_sim federation provider key\n", provider});
  return ledger::crypto::SigningKey::FromSeed(absl::string_view(
      reinterpret_cast<const char*>(seed.data()), seed.size()));
}

absl::Status Simulator::Schedule() {
  plans_ = o_.federation_part > 0
               ? BuildFederationScenario(o_.federation_part, o_.background)
               : BuildScenario(o_.background);
  nodes_.resize(o_.nodes);
  for (int i = 0; i < o_.nodes; ++i) {
    nodes_[i].name = absl::StrFormat("gpu%04d", i);
  }
  ScheduleJobs();
  for (Node& node : nodes_) {
    std::sort(node.jobs.begin(), node.jobs.end(), [&](size_t a, size_t b) {
      return jobs_[a].start < jobs_[b].start;
    });
    for (auto& e : node.energy_mj) e = 1'000'000'000ull + rng_() % 1'000'000;
  }
  ScheduleProviderEvents();
  return SetSimulatedSpan();
}

void Simulator::ScheduleJobs() {
  std::vector<absl::Time> free_at(o_.nodes, ScenarioStart() + absl::Hours(1));
  // Big jobs first so they start on day one; the rest fill in.
  std::vector<size_t> order(plans_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plans_[a].node_share > plans_[b].node_share;
  });
  for (size_t m : order) {
    Job job = PlaceJob(m, free_at);
    for (int i : job.nodes) {
      free_at[i] = job.end + absl::Hours(1);
      nodes_[i].jobs.push_back(jobs_.size());
    }
    jobs_.push_back(job);
  }
}

Job Simulator::PlaceJob(size_t m, const std::vector<absl::Time>& free_at) {
  const ModelPlan& p = plans_[m];
  const double period_h = absl::ToDoubleHours(o_.sample_period);
  Job job;
  job.model = m;
  job.job_id = absl::StrCat(100000 + jobs_.size());
  const int n = std::max(
      1, std::min(o_.nodes,
                  static_cast<int>(std::lround(p.node_share * o_.nodes))));
  std::vector<int> idx(o_.nodes);
  for (int i = 0; i < o_.nodes; ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](int a, int b) { return free_at[a] < free_at[b]; });
  job.nodes.assign(idx.begin(), idx.begin() + n);
  std::sort(job.nodes.begin(), job.nodes.end());
  job.start = free_at[idx[n - 1]];
  const double node_hours = p.measured_flop / (p.tensor_active * kH100Bf16Peak *
                                               3600.0 * kGpusPerNode);
  const double samples = std::ceil(node_hours / n / period_h);
  job.end = job.start + o_.sample_period * samples;
  return job;
}

absl::Status Simulator::SetSimulatedSpan() {
  absl::Time last = ScenarioStart();
  for (const Job& j : jobs_) last = std::max(last, j.end);
  for (const auto& e : events_) last = std::max(last, e.time);
  r_.start = ScenarioStart();
  r_.end = last + absl::Hours(1);
  r_.weeks =
      static_cast<int>(std::ceil(absl::FDivDuration(r_.end - r_.start, kWeek)));
  if (r_.weeks > o_.max_weeks) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the scenario needs ", r_.weeks, " simulated weeks with ", o_.nodes,
        " nodes (more than --weeks=", o_.max_weeks, "): add nodes"));
  }
  return absl::OkStatus();
}

void Simulator::ScheduleProviderEvents() {
  // Provider events: declare at the start; documents and the updated
  // declaration (placed on the market) the day after training ends;
  // notifications when the plan says.
  for (size_t m = 0; m < plans_.size(); ++m) {
    const ModelPlan& p = plans_[m];
    const absl::Time start = ScenarioStart() + absl::Minutes(10 + m);
    events_.push_back({start, m, ProviderEvent::kDeclare});
    absl::Time end;
    for (const Job& j : jobs_) {
      if (j.model == m) end = j.end;
    }
    if (p.place_on_market) {
      absl::Time t = end + absl::Hours(24);
      for (pv::DocumentKind d : p.documents) {
        events_.push_back({t, m, ProviderEvent::kDocument, d});
        t += absl::Minutes(1);
      }
      events_.push_back({t, m, ProviderEvent::kPlace});
    }
    if (p.notify_after_days >= 0) {
      events_.push_back({start + absl::Hours(24 * p.notify_after_days), m,
                         ProviderEvent::kNotify});
    }
  }
  std::stable_sort(events_.begin(), events_.end(),
                   [](const ProviderEvent& a, const ProviderEvent& b) {
                     return a.time < b.time;
                   });
}

absl::Status Simulator::Enrol() {
  ASSIGN_OR_RETURN(ledger::InitResult init,
                   ledger::InitLedger(r_.ledger_dir, o_.origin, &clock_));
  r_.verifier_key = init.verifier_key;
  ledger::LedgerOptions lo;
  lo.dir = r_.ledger_dir;
  lo.clock = &clock_;
  lo.simulated_clock = true;  // marked in the ledger: not a real record
  ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Open(lo));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> admin_key,
                   ledger::crypto::ReadSecretKeyFile(
                       ledger::DefaultAdminKeyPath(r_.ledger_dir)));
  EntrySigner admin(std::move(admin_key), o_.origin, 2);  // genesis used 0, 1
  std::vector<std::string> events;
  auto enrol = [&](const ledger::crypto::SigningKey& key,
                   aifl::ledger::v1::Role role, const std::string& org,
                   const std::string& node) -> absl::Status {
    aifl::ledger::v1::KeyEvent e;
    e.mutable_enrol()->set_public_key(std::string(key.public_key().bytes()));
    e.mutable_enrol()->set_role(role);
    e.mutable_enrol()->set_organisation(org);
    e.mutable_enrol()->set_node(node);
    ASSIGN_OR_RETURN(std::string env, admin.SignNext(ledger::kKeyEventType,
                                                     e.SerializeAsString()));
    events.push_back(std::move(env));
    return absl::OkStatus();
  };
  for (Node& node : nodes_) {
    if (node.jobs.empty()) continue;
    ASSIGN_OR_RETURN(node.key, ledger::crypto::SigningKey::Generate());
    RETURN_IF_ERROR(enrol(*node.key, aifl::ledger::v1::ROLE_COLLECTOR,
                          "AI Factory (simulated)", node.name));
  }
  for (const ModelPlan& p : plans_) {
    if (provider_keys_.count(p.provider) > 0) continue;
    ASSIGN_OR_RETURN(auto key, ProviderKey(p.provider));
    RETURN_IF_ERROR(
        enrol(*key, aifl::ledger::v1::ROLE_PROVIDER, p.provider, ""));
    provider_keys_[p.provider] =
        std::make_unique<EntrySigner>(std::move(key), o_.origin, 0);
  }
  ASSIGN_OR_RETURN(auto office, ledger::crypto::SigningKey::Generate());
  RETURN_IF_ERROR(
      enrol(*office, aifl::ledger::v1::ROLE_OFFICE, "AI Office", ""));
  RETURN_IF_ERROR(ledger::crypto::WriteSecretKeyFile(
      o_.out_dir + "/keys/office.key", *office));
  ASSIGN_OR_RETURN(auto rules, ledger::crypto::SigningKey::Generate());
  RETURN_IF_ERROR(
      enrol(*rules, aifl::ledger::v1::ROLE_RULES, "Rules engine", ""));
  r_.rules_key_path = o_.out_dir + "/keys/rules.key";
  RETURN_IF_ERROR(
      ledger::crypto::WriteSecretKeyFile(r_.rules_key_path, *rules));
  for (size_t i = 0; i < events.size(); i += 1000) {
    const size_t n = std::min<size_t>(1000, events.size() - i);
    for (const auto& res :
         ledger_->Append(absl::MakeConstSpan(events).subspan(i, n))) {
      RETURN_IF_ERROR(res.status);
    }
  }
  return ledger_->PublishCheckpoint().status();
}

absl::Status Simulator::StartServer() {
  api::server::ServerOptions so;
  so.listen_address = "127.0.0.1:0";
  so.insecure_loopback = true;
  so.checkpoint_interval = absl::Milliseconds(5);
  so.clock = &clock_;
  so.version = "factory_sim";
  ASSIGN_OR_RETURN(server_,
                   api::server::LedgerServer::Start(ledger_.get(), so));
  api::client::ChannelOptions co;
  co.target = absl::StrCat("127.0.0.1:", server_->port());
  co.insecure = true;
  ASSIGN_OR_RETURN(auto channel, api::client::MakeChannel(co));
  ASSIGN_OR_RETURN(client_,
                   api::client::LedgerClient::Create(channel, r_.verifier_key));
  for (int i = 0; i < kShipThreads; ++i) {
    ASSIGN_OR_RETURN(
        auto c, api::client::LedgerClient::Create(channel, r_.verifier_key));
    ship_clients_.push_back(std::move(c));
  }
  return absl::OkStatus();
}

absl::Status Simulator::SubmitProvider(const ProviderEvent& e) {
  const ModelPlan& p = plans_[e.model];
  EntrySigner& signer = *provider_keys_[p.provider];
  std::string type, payload;
  if (e.kind == ProviderEvent::kDeclare || e.kind == ProviderEvent::kPlace) {
    pv::ModelDeclaration d = p.declaration;
    if (e.kind == ProviderEvent::kPlace) {
      d.set_intends_eu_market(true);
      d.set_placed_on_eu_market(true);
      d.set_placed_on_market_unix_ms(absl::ToUnixMillis(e.time));
      d.set_supersedes_leaf(declaration_leaf_[e.model]);
    }
    type = d.GetDescriptor()->full_name();
    payload = d.SerializeAsString();
  } else if (e.kind == ProviderEvent::kDocument) {
    pv::DocumentSubmission d;
    d.set_model_id(p.model_id);
    d.set_kind(e.document);
    d.set_title(pv::DocumentKind_Name(e.document));
    d.set_version("1.0");
    d.set_sha256(StandInDocumentSha256(p.model_id + d.title()));
    d.set_size_bytes(100000 + rng_() % 900000);
    type = d.GetDescriptor()->full_name();
    payload = d.SerializeAsString();
  } else {
    pv::Notification n;
    n.set_model_id(p.model_id);
    n.set_compute_flop(p.declaration.compute().planned_flop());
    n.set_method(aifl::common::v1::DECLARED_HARDWARE);
    n.set_threshold_met(p.notify_threshold_met);
    type = n.GetDescriptor()->full_name();
    payload = n.SerializeAsString();
  }
  ASSIGN_OR_RETURN(std::string envelope, signer.SignNext(type, payload));
  ASSIGN_OR_RETURN(auto results, client_->Submit({envelope}));
  RETURN_IF_ERROR(results[0].status());
  if (e.kind == ProviderEvent::kDeclare || e.kind == ProviderEvent::kPlace) {
    declaration_leaf_[e.model] = results[0]->leaf_index();
  }
  RETURN_IF_ERROR(client_->ConfirmIncluded({{envelope, *results[0]}},
                                           /*wait=*/true));
  ++r_.provider_envelopes;
  return absl::OkStatus();
}

std::string Simulator::Trace(int n, absl::Time from, absl::Time to) {
  Node& node = nodes_[n];
  std::string t = "aifl-replay v1\n";
  for (int d = 0; d < kGpusPerNode; ++d) {
    absl::StrAppendFormat(&t,
                          "device %d GPU-%08x-0000-4000-8000-%012x 0 "
                          "550.54.15 NVIDIA H100 80GB HBM3\n",
                          d, n, d);
  }
  bool any = false;
  std::uniform_int_distribution<int> jitter(-4, 4);
  for (size_t j : node.jobs) {
    const Job& job = jobs_[j];
    if (job.end + absl::Seconds(1) < from || job.start >= to) continue;
    const ModelPlan& p = plans_[job.model];
    if (job.start >= from) {
      absl::StrAppend(
          &t, "job-start ", absl::ToUnixMillis(job.start), " job=", job.job_id,
          " account=", p.provider.substr(0, p.provider.find(' ')), " user=u",
          job.job_id, " gpus=0,1,2,3,4,5,6,7 model=", p.model_id,
          " purpose=", aifl::common::v1::RunPurpose_Name(p.purpose),
          " label=", p.model_id, "\n");
      any = true;
    }
    const double dt = absl::ToDoubleSeconds(o_.sample_period);
    absl::Time s = job.start;
    if (s < from) {
      s = job.start +
          o_.sample_period *
              std::ceil(absl::FDivDuration(from - job.start, o_.sample_period));
    }
    for (; s <= job.end && s < to; s += o_.sample_period) {
      const int64_t ms = absl::ToUnixMillis(s);
      for (int d = 0; d < kGpusPerNode; ++d) {
        const int tensor =
            static_cast<int>(std::lround(p.tensor_active * 100)) + jitter(rng_);
        const int sm = std::min(99, tensor + 35 + jitter(rng_));
        const double watts = 250 + 6.0 * tensor + 5 * jitter(rng_);
        if (s > job.start) {
          node.energy_mj[d] += static_cast<uint64_t>(watts * dt * 1000);
        }
        absl::StrAppend(&t, ms, " ", d, " ", node.energy_mj[d], " ", sm, " ",
                        tensor, "\n");
        ++r_.sample_lines;
      }
      any = true;
    }
    const absl::Time end_event = job.end + absl::Seconds(1);
    if (end_event >= from && end_event < to) {
      absl::StrAppend(&t, "job-end ", absl::ToUnixMillis(end_event),
                      " job=", job.job_id, " exit=0\n");
      any = true;
    }
  }
  return any ? t : std::string();
}

absl::Status Simulator::PlayNodeWeek(int n, absl::Time from, absl::Time to) {
  Node& node = nodes_[n];
  const std::string text = Trace(n, from, to);
  if (text.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(collector::nvml::ReplayFile file,
                   collector::nvml::ParseReplay(text));
  if (node.agent == nullptr) {
    collector::agent::AgentOptions ao;
    ao.cluster = "factory";
    ao.node = node.name;
    ao.interval = o_.interval;
    // Coarse simulated sampling: one poll per sample_period.
    ao.energy.max_gap = o_.sample_period + absl::Minutes(1);
    ASSIGN_OR_RETURN(
        auto pseudonymizer,
        collector::agent::Pseudonymizer::Create(absl::StrCat(
            "factory-sim-pseudonym-secret-32-bytes-seed-", o_.seed)));
    node.clock = std::make_unique<common::FakeClock>(from);
    node.agent = std::make_unique<NodeAgent>(
        ao, file.devices, std::move(pseudonymizer), node.clock.get());
    const std::string dir = absl::StrCat(o_.out_dir, "/spools/", node.name);
    RETURN_IF_ERROR(MakeDirs(dir));
    ASSIGN_OR_RETURN(node.spool, collector::spool::Spool::Open(dir));
    ASSIGN_OR_RETURN(node.signer,
                     collector::spool::LedgerRecordSigner::Create(
                         std::move(node.key), o_.origin, *node.spool,
                         dir + "/next_sequence", uint64_t{0}));
    collector::spool::ShipOptions so;
    so.batch = 500;
    node.grpc = std::make_unique<collector::spool::GrpcLedgerShipper>(
        ship_clients_[n % kShipThreads].get());
    node.shipper = std::make_unique<collector::spool::SpoolShipper>(
        node.spool.get(), node.signer.get(), node.grpc.get(), node.grpc.get(),
        &clock_, so);
  }
  collector::nvml::ReplayGpuSource source(std::move(file));
  // Polls, due intervals and spooling are the agent's own loop (AgentStep);
  // shipping waits for the end of the week (ShipAll), for all nodes at once.
  collector::agent::AgentStepParts parts;
  parts.agent = node.agent.get();
  parts.spool = node.spool.get();
  parts.observe = [this](const collector::agent::Record& rec) {
    if (rec.payload_type != collector::agent::kIntervalReportType) return;
    aifl::collector::v1::IntervalReport ir;
    if (ir.ParseFromString(rec.payload)) {
      measured_[ir.model_id()] += ir.flop().lower();
    }
  };
  return collector::agent::RunReplay(&source, node.clock.get(), "factory",
                                     std::move(parts));
}

absl::Status Simulator::ShipAll() {
  // Nodes ship concurrently, as real nodes do: each node's spool, signer and
  // shipper are used by one thread only; the client is thread-safe, and one
  // checkpoint then covers many nodes' batches.
  std::vector<absl::Status> errors(kShipThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kShipThreads; ++t) {
    threads.emplace_back([this, t, &errors] {
      for (size_t i = t; i < nodes_.size(); i += kShipThreads) {
        Node& node = nodes_[i];
        if (node.spool == nullptr) continue;
        while (node.spool->pending_count() + node.spool->sealed_count() > 0) {
          const uint64_t before = node.shipper->stats().envelopes_shipped();
          absl::Status s = node.shipper->Tick();
          if (s.ok() && node.shipper->stats().envelopes_shipped() == before) {
            s = absl::InternalError(
                absl::StrCat(node.name, ": the spool made no progress"));
          }
          if (!s.ok()) {
            errors[t] = s;
            return;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const absl::Status& s : errors) RETURN_IF_ERROR(s);
  r_.collector_envelopes = 0;
  for (const Node& node : nodes_) {
    if (node.shipper != nullptr) {
      r_.collector_envelopes += node.shipper->stats().envelopes_shipped();
    }
  }
  return absl::OkStatus();
}

absl::Status Simulator::Evaluate() {
  RETURN_IF_ERROR(server_->Shutdown(absl::Seconds(5)));
  for (Node& node : nodes_) {
    node.shipper.reset();
    node.grpc.reset();
  }
  ship_clients_.clear();
  client_.reset();
  server_.reset();
  ledger_.reset();
  clock_.Set(r_.end + absl::Hours(24));
  compliance_check::Options co;
  co.dir = r_.ledger_dir;
  co.now = clock_.Now();
  co.pack_path = o_.pack_path;
  co.audit = true;
  co.record = true;
  co.rules_key = r_.rules_key_path;
  co.ledger_clock = &clock_;
  ASSIGN_OR_RETURN(r_.check, compliance_check::Check(co));
  std::map<std::string, std::set<std::string>> raised;
  for (const auto& f : r_.check.findings)
    raised[f.model_id()].insert(f.rule_id());
  for (const ModelPlan& p : plans_) {
    ModelOutcome m;
    m.model_id = p.model_id;
    m.story = p.story;
    m.measured_lower = measured_[p.model_id];
    m.expected = p.expected;
    auto it = raised.find(p.model_id);
    if (it != raised.end()) {
      m.raised.assign(it->second.begin(), it->second.end());
      raised.erase(it);
    }
    r_.models.push_back(std::move(m));
  }
  for (auto& [model, ids] : raised) {
    r_.unexpected_models[model].assign(ids.begin(), ids.end());
  }
  return absl::OkStatus();
}

absl::StatusOr<SimResult> Simulator::Run() {
  if (o_.out_dir.empty()) return absl::InvalidArgumentError("out_dir: empty");
  if (o_.nodes < 1) return absl::InvalidArgumentError("nodes: want >= 1");
  r_.ledger_dir =
      o_.ledger_dir.empty() ? o_.out_dir + "/ledger" : o_.ledger_dir;
  RETURN_IF_ERROR(MakeDirs(o_.out_dir + "/keys"));
  RETURN_IF_ERROR(Schedule());
  Progress(absl::StrCat("scheduled ", jobs_.size(), " jobs on ", o_.nodes,
                        " nodes over ", r_.weeks, " simulated weeks"));
  RETURN_IF_ERROR(Enrol());
  RETURN_IF_ERROR(StartServer());
  size_t next_event = 0;
  for (int w = 0; w < r_.weeks; ++w) {
    const absl::Time from = r_.start + kWeek * w;
    const absl::Time to = from + kWeek;
    while (next_event < events_.size() && events_[next_event].time < to) {
      clock_.Set(std::max(clock_.Now(), events_[next_event].time));
      RETURN_IF_ERROR(SubmitProvider(events_[next_event++]));
    }
    for (int n = 0; n < o_.nodes; ++n) {
      RETURN_IF_ERROR(PlayNodeWeek(n, from, to));
    }
    clock_.Set(std::max(clock_.Now(), to));
    RETURN_IF_ERROR(ShipAll());
    Progress(absl::StrFormat(
        "week %3d/%d  %s  collector entries %7d  provider entries %3d", w + 1,
        r_.weeks, absl::FormatTime("%Y-%m-%d", to, absl::UTCTimeZone()),
        r_.collector_envelopes, r_.provider_envelopes));
  }
  while (next_event < events_.size()) {
    clock_.Set(std::max(clock_.Now(), events_[next_event].time));
    RETURN_IF_ERROR(SubmitProvider(events_[next_event++]));
  }
  RETURN_IF_ERROR(Evaluate());
  return std::move(r_);
}

}  // namespace

absl::StatusOr<SimResult> RunSimulation(const SimOptions& options) {
  Simulator sim(options);
  return sim.Run();
}

bool AllAsExpected(const SimResult& result) {
  for (const ModelOutcome& m : result.models) {
    if (m.expected != m.raised) return false;
  }
  return result.unexpected_models.empty();
}

}  // namespace factory_sim
