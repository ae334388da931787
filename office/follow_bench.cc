// follow_bench: the monitor's follow rate over loopback tiles, for one and
// for three logs followed at once, next to the limit every envelope's
// Ed25519 verification sets (verifications/s on one core × cores), measured
// in the same run. Issue 18's goal: follow rate ≥ 80 % of that limit.
//
//   bazel run -c opt //office:follow_bench -- [--entries=20000] [--threads=N]
//       [--max_entries_per_commit=4096] [--static_tiles=true]
//
// Each log is a real ledger's leaves served by testonly/hostile_log.h over
// libmicrohttpd on 127.0.0.1 and read with libcurl; the mirror is a real
// RocksDB in $TMPDIR with synced commits.
//
// The tile servers run in this process (the factories' side), so CPU time is
// printed twice: the whole process, and the monitor's alone (the process
// minus the servers' threads, "MHD-*", read from /proc/self/task/*/schedstat).
// By default they serve full bundles as a static tile host does (nginx with
// gzip_static, or a factory's ledger_server, whose tile handler keeps the
// bundles it sent, compressed, in a 64 MiB cache): each full bundle is
// fetched once before the timed runs, so the runs find it compressed. With
// --static_tiles=false every request reads, encodes and gzips its bundle
// again (~10 % of the process's CPU, taken from the monitor's cores).
#include <dirent.h>
#include <sys/resource.h>
#include <time.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "api/client/curl_http_getter.h"
#include "common/clock.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/tile_path.h"
#include "office/log_follower.h"
#include "office/mirror.h"
#include "office/signature_pool.h"
#include "office/testonly/hostile_log.h"

ABSL_FLAG(int, entries, 20000, "entries per log");
ABSL_FLAG(uint64_t, max_entries_per_commit, 4096,
          "leaves per synced mirror commit (the monitor's flag)");
ABSL_FLAG(int, threads, 0,
          "signature-verifying threads shared by the logs followed (0: the "
          "machine's cores)");
ABSL_FLAG(bool, static_tiles, true,
          "tile servers keep full bundles compressed, as a static host or "
          "ledger_server's 64 MiB tile cache does, fetched once before the "
          "runs; false: every request gzips its bundle again");

namespace {

using office::testonly::HostileLog;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// CPU seconds of this process's threads whose name starts with "MHD" (the
// in-process tile servers: the factories' work, not the monitor's).
double ServerCpuSeconds() {
  double total = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const std::string task = absl::StrCat("/proc/self/task/", e->d_name);
    std::string comm;
    std::ifstream(task + "/comm") >> comm;
    if (comm.rfind("MHD", 0) != 0) continue;
    uint64_t ns = 0;
    std::ifstream(task + "/schedstat") >> ns;  // first field: ns on a CPU
    total += ns / 1e9;
  }
  closedir(dir);
  return total;
}

struct VerifyRates {
  double per_wall_second;  // on one thread, as the machine gives it now
  double per_cpu_second;   // what one core does when it is ours
};

// Ed25519 verifications per second on one thread.
VerifyRates VerifyRate() {
  auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, '\x01'));
  const std::string message(300, 'm');
  const std::string signature = (*key)->Sign(message);
  const ledger::crypto::PublicKey pub = (*key)->public_key();
  int n = 0;
  const double cpu0 = ThreadCpuSeconds();
  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Seconds(2)) {
    for (int i = 0; i < 100; ++i) {
      if (!pub.Verify(message, signature).ok()) std::abort();
    }
    n += 100;
  }
  return {n / absl::ToDoubleSeconds(absl::Now() - start),
          n / (ThreadCpuSeconds() - cpu0)};
}

// Fetches every full bundle `log` serves once, so its server keeps it
// compressed.
void WarmBundles(HostileLog& log) {
  auto http = api::client::CurlHttpGetter::Create();
  auto served = log.LatestCheckpoint();
  if (!http.ok() || !served.ok()) std::exit(1);
  using ledger::tiles::kTileWidth;
  for (uint64_t b = 0; b < served->size / kTileWidth; ++b) {
    const std::string url = absl::StrCat(
        log.url(), "/", ledger::tiles::TilePath({true, 0, b, kTileWidth}));
    if (absl::StatusOr<std::string> got = (*http)->Get(url, 64 << 20);
        !got.ok()) {
      std::cerr << got.status() << "\n";
      std::exit(1);
    }
  }
}

std::unique_ptr<HostileLog> MakeLog(const std::string& origin, int entries) {
  const bool warm = absl::GetFlag(FLAGS_static_tiles);
  auto log = HostileLog::Create(origin, warm ? size_t{64} << 20 : 0);
  if (!log.ok()) {
    std::cerr << log.status() << "\n";
    std::exit(1);
  }
  for (int done = 0; done < entries; done += 1000) {
    if (absl::Status s = (*log)->Grow(std::min(1000, entries - done));
        !s.ok()) {
      std::cerr << s << "\n";
      std::exit(1);
    }
  }
  if (absl::Status s = (*log)->ServeLedger(); !s.ok()) std::exit(1);
  if (warm) WarmBundles(**log);
  return std::move(*log);
}

// Follows every log of `logs` to its end into `mirror`, each on its own
// thread, their signatures verified by one pool of `threads` workers (as
// office_monitor --threads does); returns the entries followed.
uint64_t FollowAll(const std::vector<std::unique_ptr<HostileLog>>& logs,
                   int threads, office::Mirror* mirror) {
  auto signature_pool = std::make_shared<office::SignaturePool>(threads);
  std::vector<std::thread> pool;
  std::vector<uint64_t> done(logs.size());
  for (size_t i = 0; i < logs.size(); ++i) {
    pool.emplace_back([&, i] {
      office::FollowedLog config{
          logs[i]->origin(), logs[i]->vkey(), logs[i]->url(), "", {}};
      office::FollowerOptions options;
      options.signature_pool = signature_pool;
      options.max_entries_per_commit =
          absl::GetFlag(FLAGS_max_entries_per_commit);
      auto f = office::LogFollower::Create(
          config, mirror, *api::client::CurlHttpGetter::Create(),
          common::RealClock::Get(), options);
      auto step = (*f)->Step();
      if (!step.ok() || step->incident.has_value() ||
          step->verified_size != step->checkpoint_size) {
        std::cerr << "follow failed: " << step.status() << "\n";
        std::exit(1);
      }
      done[i] = step->new_entries;
    });
  }
  for (std::thread& t : pool) t.join();
  uint64_t total = 0;
  for (uint64_t d : done) total += d;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int threads =
      absl::GetFlag(FLAGS_threads) > 0 ? absl::GetFlag(FLAGS_threads) : cores;
  const int entries = absl::GetFlag(FLAGS_entries);
  std::vector<std::unique_ptr<HostileLog>> logs;
  for (const char* o : {"a.example/log", "b.example/log", "c.example/log"}) {
    logs.push_back(MakeLog(o, entries));
  }
  const VerifyRates verify = VerifyRate();
  const double limit = verify.per_wall_second * cores;
  absl::PrintF(
      "ed25519 verify: %.0f/s per core (wall) x %d cores = %.0f/s limit; "
      "%.0f per CPU-second\n",
      verify.per_wall_second, cores, limit, verify.per_cpu_second);
  for (size_t n : {size_t{1}, size_t{3}}) {
    std::vector<std::unique_ptr<HostileLog>> some;
    for (size_t i = 0; i < n; ++i) some.push_back(std::move(logs[i]));
    const double cpu0 = CpuSeconds();
    const double server0 = ServerCpuSeconds();
    // The mirror's open and close (its memtable flushed to a table file)
    // happen once per monitor run, not per entry: timed apart, their CPU
    // counted.
    const absl::Time t_open = absl::Now();
    auto mirror = office::Mirror::Open(ledger::testonly::FreshDir("bench"));
    if (!mirror.ok()) std::exit(1);
    const absl::Time t0 = absl::Now();
    const uint64_t followed = FollowAll(some, threads, mirror->get());
    const absl::Time t1 = absl::Now();
    mirror->reset();
    const double open = absl::ToDoubleSeconds(t0 - t_open);
    const double wall = absl::ToDoubleSeconds(t1 - t0);
    const double close = absl::ToDoubleSeconds(absl::Now() - t1);
    const double cpu = CpuSeconds() - cpu0;
    const double server = ServerCpuSeconds() - server0;
    const double all = open + wall + close;
    absl::PrintF(
        "%d log(s): %d entries in %.2f s wall (mirror open %.2f s and close "
        "%.2f s apart), %.2f s CPU (tile servers %.2f s, monitor %.2f s): "
        "%.0f entries/s = %.0f %% of the limit (%.0f %% with the open and "
        "close); %.0f entries per CPU-second = %.0f %% of verify per "
        "CPU-second; monitor alone: %.0f entries per CPU-second = %.0f %%\n",
        n, followed, wall, open, close, cpu, server, cpu - server,
        followed / wall, 100 * followed / wall / limit,
        100 * followed / all / limit, followed / cpu,
        100 * followed / cpu / verify.per_cpu_second, followed / (cpu - server),
        100 * followed / (cpu - server) / verify.per_cpu_second);
    for (size_t i = 0; i < n; ++i) logs[i] = std::move(some[i]);
  }
  return 0;
}
