// Loopback gRPC benchmark of the ledger server (insecure loopback mode, a
// real ledger with synced RocksDB writes in a temp folder):
//   1. durable ingest throughput: N clients, each on its own connection,
//      submitting pre-signed batches back to back; then the same number of
//      entries appended in-process, through a ledger::AppendPipeline on the
//      server's ledger (the path Submit takes, minus gRPC), so that gRPC
//      ingest is judged against the in-process rate of the same run;
//   2. durable-receipt latency at half that rate (open loop, latency from
//      each call's scheduled start, so queueing counts);
//   3. inclusion-proof queries per second;
//   4. the empty-call rate (health Check) on the same machine, same run, as
//      the ceiling the transport allows.
//   bazel run -c opt //tests/server:server_bench -- --clients=8
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "common/production_runtime.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/channel_arguments.h"
#include "ledger/append_pipeline.h"
#include "schema/collector.pb.h"
#include "tests/server/server_harness.h"

ABSL_FLAG(int, clients, 8, "concurrent clients (one connection each)");
ABSL_FLAG(int, entries_per_client, 12500, "entries each client submits");
ABSL_FLAG(int, batch, 100, "envelopes per Submit in the throughput phase");
ABSL_FLAG(int, latency_batch, 10, "envelopes per Submit in the latency phase");
ABSL_FLAG(double, latency_seconds, 5, "length of the latency phase");
ABSL_FLAG(double, latency_rate, 0,
          "entries/s of the latency phase (0: half the measured gRPC ingest "
          "rate); a fixed rate makes runs on a loaded machine comparable");
ABSL_FLAG(int, verify_threads, 0,
          "the server's verify workers (ServerOptions::verify_threads; 0: "
          "IngestService::DefaultVerifyThreads())");
ABSL_FLAG(int, payload_bytes, 300, "random payload bytes per entry");
ABSL_FLAG(int, queries_per_client, 20000,
          "proof queries / empty calls per client");
ABSL_FLAG(int, depth, 64,
          "calls each client keeps in flight in the query phases (an auditor "
          "or collector checking many receipts pipelines its calls)");

namespace {

using Clock = std::chrono::steady_clock;
using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;

std::shared_ptr<grpc::Channel> OwnChannel(int port) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), args);
}

// A well-mixed leaf index per (client, call), without a shared generator
// (completions run on gRPC threads).
uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Runs fn(client) on `n` threads; returns the wall time.
template <typename Fn>
double RunClients(int n, Fn fn) {
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < n; ++c) threads.emplace_back([&fn, c] { fn(c); });
  for (auto& t : threads) t.join();
  return Seconds(Clock::now() - start);
}

// Runs `total` calls on one client, keeping up to `depth` in flight: start(k,
// done) begins call k and arranges for done(ok) to run once when it ends
// (on a gRPC thread). Exits the process on a failed call.
template <typename Start>
void Pipelined(int total, int depth, Start start) {
  // Shared with the completions, which may still be unwinding on a gRPC
  // thread when the last one has been counted and this function returns.
  struct State {
    explicit State(int total, Start start) : total(total), start(start) {}
    absl::Mutex mu;
    const int total;
    Start start;
    int started ABSL_GUARDED_BY(mu) = 0;
    int finished ABSL_GUARDED_BY(mu) = 0;
    bool AllFinished() const ABSL_SHARED_LOCKS_REQUIRED(mu) {
      return finished == total;
    }
    static void Next(const std::shared_ptr<State>& self) {
      int k;
      {
        absl::MutexLock lock(&self->mu);
        if (self->started == self->total) return;
        k = self->started++;
      }
      self->start(k, [self](bool ok) {
        if (!ok) std::exit(1);
        Next(self);  // before counting: the caller may return once counted
        absl::MutexLock lock(&self->mu);
        ++self->finished;
      });
    }
  };
  auto state = std::make_shared<State>(total, start);
  for (int i = 0; i < std::min(depth, total); ++i) State::Next(state);
  absl::MutexLock lock(&state->mu);
  state->mu.Await(absl::Condition(state.get(), &State::AllFinished));
}

bool SubmitBatch(Ingest::Stub* stub, const std::vector<std::string>& envs,
                 size_t begin, size_t end) {
  aifl::api::v1::SubmitRequest request;
  for (size_t i = begin; i < end; ++i) request.add_envelopes(envs[i]);
  aifl::api::v1::SubmitResponse response;
  grpc::ClientContext ctx;
  grpc::Status s = stub->Submit(&ctx, request, &response);
  if (!s.ok()) {
    std::fprintf(stderr, "Submit: %s\n", s.error_message().c_str());
    return false;
  }
  for (const auto& r : response.results()) {
    if (!r.has_receipt()) {
      std::fprintf(stderr, "entry: %s\n", r.error().message().c_str());
      return false;
    }
  }
  return true;
}

// Appends every client's envelopes through one AppendPipeline on `ledger`,
// a thread per client submitting its batches in order (retrying while the
// pipeline is full); returns the wall seconds until the last is durable.
double InProcessAppends(ledger::Ledger* ledger,
                        std::vector<std::vector<std::string>>& envelopes,
                        int batch) {
  auto pipeline = ledger::AppendPipeline::Start(&ledger->sequencer(),
                                                ledger::PipelineOptions());
  const auto start = Clock::now();
  RunClients(static_cast<int>(envelopes.size()), [&](int c) {
    std::vector<std::string>& mine = envelopes[c];
    for (size_t i = 0; i < mine.size(); i += batch) {
      std::vector<std::string> part(
          std::make_move_iterator(mine.begin() + i),
          std::make_move_iterator(mine.begin() +
                                  std::min(mine.size(), i + batch)));
      ledger::AppendPipeline::Done done =
          [](std::vector<ledger::AppendResult> results) {
            for (const ledger::AppendResult& r : results) {
              if (!r.status.ok()) {
                std::fprintf(stderr, "in-process append: %s\n",
                             r.status.ToString().c_str());
                std::exit(1);
              }
            }
          };
      while (!pipeline->Submit(std::move(part), std::move(done)).ok()) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    }
  });
  pipeline.reset();  // commits and answers everything it holds
  return Seconds(Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::ParseCommandLine(argc, argv);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int per_client = absl::GetFlag(FLAGS_entries_per_client);
  const int batch = absl::GetFlag(FLAGS_batch);
  api::server::ServerOptions options;
  options.verify_threads = absl::GetFlag(FLAGS_verify_threads);
  auto harness = tests::server::ServerHarness::Start(nullptr, options);
  if (!harness.ok()) {
    std::fprintf(stderr, "%s\n", harness.status().ToString().c_str());
    return 1;
  }
  const int port = (*harness)->port();

  // Keys and pre-signed envelopes (signing is the client's cost, not timed).
  std::mt19937_64 rng(42);
  std::vector<std::unique_ptr<ledger::EntrySigner>> signers;
  std::vector<std::vector<std::string>> envelopes(clients);
  std::vector<std::vector<std::string>> latency_envelopes(clients);
  for (int c = 0; c < clients; ++c) {
    signers.push_back((*harness)
                          ->fixture()
                          .EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR,
                                       "bench", absl::StrCat("node-", c))
                          .value());
  }
  auto sign_all = [&](std::vector<std::vector<std::string>>& out, int n) {
    RunClients(clients, [&](int c) {
      std::mt19937_64 local(1000 + c + n);
      for (int i = 0; i < n; ++i) {
        // A real IntervalReport (the server folds it into model state, as
        // in production), padded to about --payload_bytes.
        aifl::collector::v1::IntervalReport report;
        report.set_run_id(absl::StrCat("bench/", c, ".", n));
        report.set_node(absl::StrCat("node-", c));
        report.set_interval_index(i);
        // 1 s apart, so that every report stays inside the window ingest
        // accepts around the harness clock (payload_validator.h): 300 s
        // apart, the 289th left it.
        report.set_start_unix_ms(1'780'000'000'000 + i * 1'000);
        report.set_end_unix_ms(1'780'000'000'000 + i * 1'000 + 300'000);
        report.set_gpu_count(8);
        report.set_gpu_seconds_allocated(2400);
        report.set_energy_joules(static_cast<double>(local() % 2'000'000));
        report.mutable_flop()->set_lower(1e17);
        report.mutable_flop()->set_upper(2e17);
        report.set_model_id(absl::StrCat("model-", c % 3));
        const size_t base = report.ByteSizeLong();
        const size_t want = absl::GetFlag(FLAGS_payload_bytes);
        report.set_device_model(
            std::string(want > base + 2 ? want - base - 2 : 1, 'H'));
        out[c].push_back(signers[c]
                             ->SignNext("aifl.collector.v1.IntervalReport",
                                        report.SerializeAsString())
                             .value());
      }
    });
  };
  sign_all(envelopes, per_client);

  // 1. Throughput.
  const double ingest_s = RunClients(clients, [&](int c) {
    auto stub = Ingest::NewStub(OwnChannel(port));
    for (int i = 0; i < per_client; i += batch) {
      if (!SubmitBatch(stub.get(), envelopes[c], i,
                       std::min(per_client, i + batch))) {
        std::exit(1);
      }
    }
  });
  const double ingest_rate = clients * per_client / ingest_s;
  std::vector<std::vector<std::string>> in_process(clients);
  sign_all(in_process, per_client);
  const double in_process_s =
      InProcessAppends(&(*harness)->ledger(), in_process, batch);
  const double in_process_rate = clients * per_client / in_process_s;

  // 2. Latency at half that rate, open loop.
  const int lb = absl::GetFlag(FLAGS_latency_batch);
  const double target = absl::GetFlag(FLAGS_latency_rate) > 0
                            ? absl::GetFlag(FLAGS_latency_rate)
                            : ingest_rate / 2;
  const double per_client_calls = target / lb / clients;  // calls/s per client
  const int calls =
      std::max(1, static_cast<int>(per_client_calls *
                                   absl::GetFlag(FLAGS_latency_seconds)));
  sign_all(latency_envelopes, calls * lb);
  // From each call's scheduled start (open loop: a call delayed by a stall
  // delays the client's next ones too, which count) and from its actual
  // start (the server's answer time alone).
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::vector<double>> service(clients);
  const double latency_s = RunClients(clients, [&](int c) {
    auto stub = Ingest::NewStub(OwnChannel(port));
    auto start = Clock::now() + std::chrono::milliseconds(10 * c);
    auto period = std::chrono::duration<double>(1.0 / per_client_calls);
    for (int k = 0; k < calls; ++k) {
      auto scheduled =
          start + std::chrono::duration_cast<Clock::duration>(period * k);
      std::this_thread::sleep_until(scheduled);
      const auto sent = Clock::now();
      if (!SubmitBatch(stub.get(), latency_envelopes[c], k * lb,
                       (k + 1) * lb)) {
        std::exit(1);
      }
      latencies[c].push_back(Seconds(Clock::now() - scheduled) * 1000);
      service[c].push_back(Seconds(Clock::now() - sent) * 1000);
    }
  });
  auto sorted = [](const std::vector<std::vector<double>>& per_client) {
    std::vector<double> out;
    for (auto& l : per_client) out.insert(out.end(), l.begin(), l.end());
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<double> all = sorted(latencies);
  const std::vector<double> answered = sorted(service);
  auto pct_of = [](const std::vector<double>& v, double p) {
    return v[std::min(v.size() - 1, size_t(p * v.size()))];
  };
  auto pct = [&](double p) { return pct_of(all, p); };
  const double achieved = all.size() * lb / latency_s;

  // Publish so proof queries have a checkpoint to answer against.
  (void)(*harness)->ledger().PublishCheckpoint();
  const uint64_t size = (*harness)->ledger().Size();

  // 3. Inclusion proofs: first one call in flight per client, then `depth`.
  const int queries = absl::GetFlag(FLAGS_queries_per_client);
  const int depth = absl::GetFlag(FLAGS_depth);
  auto proof_phase = [&](int in_flight) {
    return RunClients(clients, [&](int c) {
      auto stub = Audit::NewStub(OwnChannel(port));
      Pipelined(queries, in_flight, [&](int k, auto done) {
        struct Call {
          aifl::api::v1::InclusionProofRequest request;
          aifl::api::v1::InclusionProof proof;
          grpc::ClientContext ctx;
        };
        auto* call = new Call;
        call->request.set_leaf_index(SplitMix64(uint64_t(c) << 32 | k) % size);
        stub->async()->GetInclusionProof(
            &call->ctx, &call->request, &call->proof,
            [call, done](grpc::Status s) {
              if (!s.ok())
                std::fprintf(stderr, "proof: %s\n", s.error_message().c_str());
              const bool ok = s.ok() && call->proof.hashes_size() > 0;
              delete call;
              done(ok);
            });
      });
    });
  };
  const double proof_serial_s = proof_phase(1);
  const double proof_s = proof_phase(depth);

  // 4. Empty calls (health Check with an empty request), the same two ways.
  auto empty_phase = [&](int in_flight) {
    return RunClients(clients, [&](int c) {
      grpc::GenericStub stub(OwnChannel(port));
      Pipelined(queries, in_flight, [&](int, auto done) {
        struct Call {
          grpc::ByteBuffer request, response;
          grpc::ClientContext ctx;
        };
        auto* call = new Call;
        grpc::Slice empty("");
        call->request = grpc::ByteBuffer(&empty, 1);
        stub.UnaryCall(&call->ctx, "/grpc.health.v1.Health/Check",
                       grpc::StubOptions(), &call->request, &call->response,
                       [call, done](grpc::Status s) {
                         delete call;
                         done(s.ok());
                       });
      });
    });
  };
  const double empty_serial_s = empty_phase(1);
  const double empty_s = empty_phase(depth);

  std::printf(
      "machine: %u hardware threads; %d clients, insecure loopback, "
      "%d-byte payloads\n",
      std::thread::hardware_concurrency(), clients,
      absl::GetFlag(FLAGS_payload_bytes));
  std::printf(
      "durable ingest:        %.0f entries/s (%d entries, batches of %d, %.2f "
      "s)\n",
      ingest_rate, clients * per_client, batch, ingest_s);
  std::printf(
      "in-process appends:    %.0f entries/s (AppendPipeline, same entries "
      "and batches); gRPC ingest is %.0f%% of it\n",
      in_process_rate, 100 * ingest_rate / in_process_rate);
  std::printf(
      "receipt latency @%.0f/s target (achieved %.0f entries/s, batches of "
      "%d): "
      "p50 %.2f ms  p99 %.2f ms  max %.2f ms (%zu calls)\n",
      target, achieved, lb, pct(0.5), pct(0.99), all.back(), all.size());
  std::printf(
      "  from each call's own start: p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
      pct_of(answered, 0.5), pct_of(answered, 0.99), answered.back());
  std::printf(
      "inclusion proofs:      %.0f queries/s with %d in flight per client, "
      "%.0f/s with 1 (tree size %llu)\n",
      clients * queries / proof_s, depth, clients * queries / proof_serial_s,
      static_cast<unsigned long long>(size));
  std::printf(
      "empty calls (health):  %.0f calls/s with %d in flight per client, "
      "%.0f/s with 1\n",
      clients * queries / empty_s, depth, clients * queries / empty_serial_s);
  (void)(*harness)->server().Shutdown(absl::Seconds(5));
  return 0;
}
