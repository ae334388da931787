#include "tests/bench/ledger_bench.h"

#include <stdlib.h>
#include <sys/resource.h>

#include <filesystem>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "ledger/append_pipeline.h"
#include "ledger/audit.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/ledger_init.h"
#include "ledger/merkle/verify.h"
#include "tests/bench/append_driver.h"
#include "tests/bench/physical_limits.h"
#include "tests/bench/system_info.h"

namespace ledger::bench {
namespace {

constexpr char kOrigin[] = "bench.example/ledger";
// Proofs checked with merkle::Verify* after each timed proof loop.
constexpr size_t kVerifySample = 1000;
constexpr size_t kLeafBytes = 300;  // a typical leaf, for the hash limit
// Appends run in rounds of this many entries (~2 s), each followed by a
// verify-rate sample of kVerifySampleSeconds (BenchResults).
constexpr uint64_t kRoundEntries = 32768;
constexpr double kVerifySampleSeconds = 0.25;

void Log(const std::string& line) {
  absl::FPrintF(
      stderr, "[%s] %s\n",
      absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone()), line);
}

double ProcessCpuSeconds() {
  struct rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double Since(absl::Time start) {
  return absl::ToDoubleSeconds(absl::Now() - start);
}

absl::StatusOr<std::string> MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr ? base : "/tmp", "/ledger_bench-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr)
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  return pattern;
}

absl::StatusOr<std::unique_ptr<Ledger>> OpenLedger(const std::string& dir,
                                                   size_t tree_cache_bytes) {
  LedgerOptions options;
  options.tree_cache_bytes = tree_cache_bytes;
  options.dir = dir;
  return Ledger::Open(options);
}

// Pre-signs and appends options.entries envelopes, chunk by chunk; only the
// appending is timed.
absl::Status RunAppends(const BenchOptions& options, const std::string& dir,
                        Ledger* ledger, BenchResults* r) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> admin_key,
                   crypto::ReadSecretKeyFile(DefaultAdminKeyPath(dir)));
  // Genesis used the admin's sequence numbers 0 and 1.
  EntrySigner admin(std::move(admin_key), ledger->origin(), 2);
  ASSIGN_OR_RETURN(std::unique_ptr<AppendDriver> driver,
                   AppendDriver::Create(ledger, &admin, options.threads,
                                        options.batch, options.payload_bytes));
  std::unique_ptr<AppendPipeline> pipeline;
  if (options.pipeline) {
    pipeline = AppendPipeline::Start(&ledger->sequencer(), PipelineOptions());
    driver->set_pipeline(pipeline.get());
  }
  const uint64_t total = options.entries;
  double sample_verifies = 0;  // Σ rate × the sample's wall seconds
  double all_sample_cpu = 0;   // their CPU seconds
  double weighted_verify = 0;  // Σ sample rate × its round's seconds
  double sampled_seconds = 0;
  uint64_t before = 0;                   // appended in earlier chunks
  std::atomic<uint64_t> next_report{1};  // in twentieths of total
  absl::Time chunk_start = absl::Now();
  auto progress = [&](uint64_t done_in_chunk) {
    const uint64_t done = before + done_in_chunk;
    uint64_t step = next_report.load();
    while (done * 20 >= step * total) {
      if (next_report.compare_exchange_weak(step, step + 1)) {
        Log(absl::StrFormat("appended %d / %d (%d%%), %.0f entries/s so far",
                            done, total, step * 5,
                            done / (r->append_seconds + Since(chunk_start))));
        break;
      }
    }
  };
  while (before < total) {
    const uint64_t count = std::min(options.chunk, total - before);
    ASSIGN_OR_RETURN(const double sign_s, driver->SignChunk(count));
    r->sign_seconds += sign_s;
    Log(absl::StrFormat("signed %d envelopes in %.1f s (clock paused)", count,
                        sign_s));
    chunk_start = absl::Now();
    double sample_cpu = 0;  // CPU of the verify samples, not of appending
    absl::Status sample_error;
    auto sample_verify = [&](double round_seconds) {
      const double cpu = ProcessCpuSeconds();
      const absl::Time paused = absl::Now();
      absl::StatusOr<double> rate =
          Ed25519VerifiesPerSecond(kLeafBytes, kVerifySampleSeconds);
      const double cpu_used = ProcessCpuSeconds() - cpu;
      sample_cpu += cpu_used;
      const absl::Duration sample_wall = absl::Now() - paused;
      chunk_start += sample_wall;  // keeps "so far" rates honest
      if (!rate.ok()) {
        sample_error.Update(rate.status());
        return;
      }
      sample_verifies += *rate * absl::ToDoubleSeconds(sample_wall);
      all_sample_cpu += cpu_used;
      weighted_verify += *rate * round_seconds;
      sampled_seconds += round_seconds;
      r->verify_during_min_per_s =
          r->verify_samples == 0 ? *rate
                                 : std::min(r->verify_during_min_per_s, *rate);
      r->verify_during_max_per_s = std::max(r->verify_during_max_per_s, *rate);
      ++r->verify_samples;
    };
    const double cpu_start = ProcessCpuSeconds();
    r->append_seconds +=
        driver->AppendChunk(progress, kRoundEntries, sample_verify);
    r->append_cpu_seconds += ProcessCpuSeconds() - cpu_start - sample_cpu;
    RETURN_IF_ERROR(sample_error);
    before += count;
  }
  pipeline.reset();  // every batch was answered at the end of its round
  if (sampled_seconds > 0)
    r->verify_during_appends_per_s = weighted_verify / sampled_seconds;
  if (all_sample_cpu > 0)
    r->verify_per_cpu_s = sample_verifies / all_sample_cpu;
  if (r->append_cpu_seconds > 0)
    r->append_per_cpu_s = total / r->append_cpu_seconds;
  r->entries = total;
  r->envelope_bytes =
      total == 0 ? 0 : static_cast<double>(driver->envelope_bytes()) / total;
  r->sign_per_s = total / r->sign_seconds;
  r->append_per_s = total / r->append_seconds;
  r->append_calls_per_s = driver->append_calls() / r->append_seconds;
  r->append_errors = driver->errors();
  if (driver->errors() > 0)
    Log(absl::StrCat(driver->errors(),
                     " appends failed; first: ", driver->first_error()));
  return absl::OkStatus();
}

// Single-threaded random inclusion proofs against the whole tree for
// options.seconds, then verifies a sample of them.
absl::Status RunInclusionProofs(const BenchOptions& options, Ledger* ledger,
                                BenchResults* r) {
  const uint64_t size = ledger->Size();
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<uint64_t> pick(0, size - 1);
  std::vector<std::pair<uint64_t, std::vector<merkle::Hash>>> sample;
  uint64_t proofs = 0;
  const absl::Time start = absl::Now();
  const absl::Time stop = start + absl::Seconds(options.seconds);
  absl::Time now = start;
  while (now < stop) {
    for (int i = 0; i < 256; ++i) {
      const uint64_t index = pick(rng);
      ASSIGN_OR_RETURN(std::vector<merkle::Hash> proof,
                       ledger->InclusionProof(index, size));
      if (sample.size() < kVerifySample && proofs % 97 == 0)
        sample.emplace_back(index, std::move(proof));
      ++proofs;
    }
    now = absl::Now();
  }
  r->inclusion_per_s = proofs / absl::ToDoubleSeconds(now - start);
  ASSIGN_OR_RETURN(const merkle::Hash root, ledger->RootAt(size));
  for (const auto& [index, proof] : sample) {
    ASSIGN_OR_RETURN(const std::string leaf, ledger->GetLeaf(index));
    RETURN_IF_ERROR(merkle::VerifyInclusion(index, size, merkle::HashLeaf(leaf),
                                            proof, root));
    ++r->proofs_verified;
  }
  return absl::OkStatus();
}

// Single-threaded consistency proofs from a random earlier size to the whole
// tree for options.seconds, then verifies a sample of them.
absl::Status RunConsistencyProofs(const BenchOptions& options, Ledger* ledger,
                                  BenchResults* r) {
  const uint64_t size = ledger->Size();
  std::mt19937_64 rng(43);
  std::uniform_int_distribution<uint64_t> pick(1, size - 1);
  std::vector<std::pair<uint64_t, std::vector<merkle::Hash>>> sample;
  uint64_t proofs = 0;
  const absl::Time start = absl::Now();
  const absl::Time stop = start + absl::Seconds(options.seconds);
  absl::Time now = start;
  while (now < stop) {
    for (int i = 0; i < 256; ++i) {
      const uint64_t size1 = pick(rng);
      ASSIGN_OR_RETURN(std::vector<merkle::Hash> proof,
                       ledger->ConsistencyProof(size1, size));
      if (sample.size() < kVerifySample / 5 && proofs % 97 == 0)
        sample.emplace_back(size1, std::move(proof));
      ++proofs;
    }
    now = absl::Now();
  }
  r->consistency_per_s = proofs / absl::ToDoubleSeconds(now - start);
  ASSIGN_OR_RETURN(const merkle::Hash root, ledger->RootAt(size));
  for (const auto& [size1, proof] : sample) {
    ASSIGN_OR_RETURN(const merkle::Hash root1, ledger->RootAt(size1));
    RETURN_IF_ERROR(merkle::VerifyConsistency(size1, size, proof, root1, root));
    ++r->proofs_verified;
  }
  return absl::OkStatus();
}

absl::Status RunAll(const BenchOptions& options, const std::string& dir,
                    BenchResults* r) {
  Log("measuring physical limits");
  ASSIGN_OR_RETURN(r->verify_before_per_s,
                   Ed25519VerifiesPerSecond(kLeafBytes, options.seconds));
  r->verify_per_s = r->verify_before_per_s;
  r->leaf_hash_per_s = LeafHashesPerSecond(kLeafBytes, options.seconds);
  ASSIGN_OR_RETURN(
      r->synced_write_per_s,
      SyncedWritesPerSecond(dir + "/fsync_probe", options.seconds));
  std::filesystem::remove_all(dir + "/fsync_probe");
  Log(absl::StrFormat("verify %.0f/s, leaf hash %.0f/s, synced write %.0f/s",
                      r->verify_per_s, r->leaf_hash_per_s,
                      r->synced_write_per_s));

  const std::string ledger_dir = dir + "/ledger";
  RETURN_IF_ERROR(InitLedger(ledger_dir, kOrigin, nullptr).status());
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                   OpenLedger(ledger_dir, options.tree_cache_bytes));
  RETURN_IF_ERROR(RunAppends(options, ledger_dir, ledger.get(), r));
  r->ledger_size = ledger->Size();
  r->rss_after_append = ProcStatusBytes("VmRSS");
  r->ledger_memory_bytes = ledger->MemoryBytes();
  Log(absl::StrFormat("appended %d entries in %.1f s: %.0f/s", r->entries,
                      r->append_seconds, r->append_per_s));
  ASSIGN_OR_RETURN(r->verify_after_per_s,
                   Ed25519VerifiesPerSecond(kLeafBytes, options.seconds));
  r->verify_per_s = (r->verify_before_per_s + r->verify_after_per_s) / 2;
  Log(absl::StrFormat(
      "verify after appending %.0f/s (before %.0f/s); during the appends "
      "%.0f/s (%d samples, %.0f…%.0f/s)",
      r->verify_after_per_s, r->verify_before_per_s,
      r->verify_during_appends_per_s, r->verify_samples,
      r->verify_during_min_per_s, r->verify_during_max_per_s));

  absl::Time start = absl::Now();
  RETURN_IF_ERROR(ledger->PublishCheckpoint().status());
  r->checkpoint_ms = Since(start) * 1e3;

  Log("inclusion proofs");
  RETURN_IF_ERROR(RunInclusionProofs(options, ledger.get(), r));
  Log("consistency proofs");
  RETURN_IF_ERROR(RunConsistencyProofs(options, ledger.get(), r));

  // Closing flushes the memtables (reopening replays any WAL left), so du
  // then reflects what the data costs at rest.
  start = absl::Now();
  ledger.reset();
  r->close_ms = Since(start) * 1e3;
  start = absl::Now();
  ASSIGN_OR_RETURN(ledger, OpenLedger(ledger_dir, options.tree_cache_bytes));
  r->reopen_ms = Since(start) * 1e3;
  ledger.reset();
  r->db_bytes = DiskUsageBytes(DbPath(ledger_dir));
  r->bytes_per_entry = static_cast<double>(r->db_bytes) / r->ledger_size;

  if (options.audit_threads == 0) {
    Log("audit skipped (--audit_threads=0)");
    return absl::OkStatus();
  }
  Log("audit");
  AuditOptions audit_options;
  audit_options.threads = options.audit_threads;
  std::atomic<uint64_t> next_report{1};
  audit_options.progress = [&](uint64_t done, uint64_t total) {
    uint64_t step = next_report.load();
    if (done * 20 >= step * total &&
        next_report.compare_exchange_strong(step, done * 20 / total + 1)) {
      Log(absl::StrFormat("audited %d / %d", done, total));
    }
  };
  start = absl::Now();
  ASSIGN_OR_RETURN(const AuditReport report,
                   AuditLedgerDir(ledger_dir, audit_options));
  r->audit_seconds = Since(start);
  r->audit_per_s = report.entries / r->audit_seconds;
  r->audit_ok = report.ok;
  if (!report.ok) Log(absl::StrCat("audit failed: ", report.problem));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BenchResults> RunLedgerBench(const BenchOptions& options) {
  BenchResults r;
  r.cpus = static_cast<int>(std::thread::hardware_concurrency());
  r.cpu_model = CpuModel();
  r.load_before = LoadAverage();
  std::string dir = options.dir;
  if (dir.empty()) {
    ASSIGN_OR_RETURN(dir, MakeTempDir());
  } else {
    std::filesystem::create_directories(dir);
  }
  Log(absl::StrCat("benchmark folder ", dir));
  absl::Status status = RunAll(options, dir, &r);
  r.peak_rss = ProcStatusBytes("VmHWM");
  r.load_after = LoadAverage();
  if (!options.keep) {
    std::error_code ec;  // best effort: a leftover temp folder is harmless
    std::filesystem::remove_all(dir, ec);
  }
  RETURN_IF_ERROR(status);
  return r;
}

}  // namespace ledger::bench
