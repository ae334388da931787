// fold_bench: the memory and time of the AI Office's fold of the mirror
// (office_ledger_sink.h: compliance::OfficeState, one LogFold per origin,
// the Office ledger's recorder) against the entries followed. Issue 18:
// "Memory: bounded by a flag, not by the number of entries followed".
//
//   bazel run -c opt //office:fold_bench -- [--entries=200000] [--origins=3]
//       [--models=2] [--batch=4096] [--max_evidence_leaves=N]
//
// Each factory is a real ledger (compliance/testonly/factory_log.h: real
// keys and signatures) where one provider, enrolled at every factory with
// the same key, declares --models models and runs each of them in
// IntervalReports; a third of each model's compute at each factory, so the
// union crosses 1e25 (C4 at the Office) while no factory does. The leaves
// are then committed to a real Mirror (RocksDB) --batch at a time, round
// robin over the origins, as the followers do, and after each commit the
// sink folds and records (OfficeLedgerSink::Sync) into a real Office
// ledger. The follow itself (tiles, verification) is follow_bench's.
//
// Printed per tenth of the run: entries folded, heap in use (mallinfo2),
// RSS and peak RSS (/proc/self/status), the interval leaves the fold keeps
// as evidence (rules::ModelState counted + excluded leaves, every origin)
// and the seconds Sync took for that tenth; at the end, the heap the sink
// held (what freeing it returns: the heap figures also hold RocksDB's
// memtables, bounded by its write buffers).
#include <malloc.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "compliance/testonly/factory_log.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "office/office_ledger_sink.h"

ABSL_FLAG(int, entries, 200000, "interval entries in all (over the origins)");
ABSL_FLAG(int, origins, 3, "factory logs");
ABSL_FLAG(int, models, 2, "models (each trained at every factory)");
ABSL_FLAG(int, batch, 4096,
          "leaves per mirror commit (the follower's "
          "--max_entries_per_commit)");
ABSL_FLAG(uint64_t, max_evidence_leaves, 0,
          "OfficeLedgerOptions::max_evidence_leaves (0: the default)");

namespace {

constexpr char kProvider[] = "Bench Frontier SAS";

template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::cerr << v.status() << "\n";
    std::exit(1);
  }
  return *std::move(v);
}

void Must(const absl::Status& s) {
  if (!s.ok()) {
    std::cerr << s << "\n";
    std::exit(1);
  }
}

// A /proc/self/status line's value in KiB ("VmRSS:", "VmHWM:").
double StatusMib(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0)
      return std::stod(line.substr(key.size())) / 1024;
  }
  return 0;
}

double HeapMib() { return mallinfo2().uordblks / 1048576.0; }

// Writes each origin's factory log and copies its leaves into `staging`
// (a mirror used as a leaf store); returns the leaves per origin.
std::vector<uint64_t> MakeFactories(const std::vector<std::string>& origins,
                                    int entries, int models,
                                    office::Mirror* staging) {
  const absl::Time t0 = absl::FromUnixSeconds(1'780'000'000);
  const int intervals =
      std::max(1, entries / (models * static_cast<int>(origins.size())));
  std::vector<uint64_t> sizes;
  for (const std::string& origin : origins) {
    auto log = Must(compliance::testonly::FactoryLog::Create(origin));
    Must(log->EnrolProvider("p", 7, kProvider));
    for (int m = 0; m < models; ++m) {
      const std::string model = absl::StrCat("bench-model-", m);
      Must(log->Provider(
                  "p", compliance::testonly::Declaration(model, kProvider), t0)
               .status());
      compliance::testonly::RunSpec run;
      run.run_id = absl::StrCat(origin, "/run-", m);
      run.model_id = model;
      run.start = t0 + absl::Minutes(1 + m);
      run.flop = 0.4e25;
      run.energy_joules = 1e12;
      run.intervals = intervals;
      run.per_append = 23;
      Must(log->Run(run).status());
    }
    const uint64_t size = log->ledger().Size();
    for (uint64_t at = 0; at < size;) {
      office::FollowCommit c;
      c.origin = origin;
      c.first_index = at;
      c.entries = Must(
          log->ledger().GetLeaves(at, std::min<uint64_t>(1000, size - at)));
      at += c.entries.size();
      c.state.set_verified_size(at);
      Must(staging->Commit(c));
    }
    sizes.push_back(size);
    log->Close();
  }
  return sizes;
}

// A fresh Office ledger (its origin, the rules and office keys enrolled)
// and the sink's options for it.
office::OfficeLedgerOptions OfficeLedger() {
  auto office = Must(
      compliance::testonly::FactoryLog::Create("office.example.eu/ledger"));
  office::OfficeLedgerOptions options;
  options.rules_key_path = Must(office->EnrolKeyFile(
      aifl::ledger::v1::ROLE_RULES, "AI Office", "office-rules"));
  options.office_key_path = Must(office->EnrolKeyFile(
      aifl::ledger::v1::ROLE_OFFICE, "AI Office", "office"));
  Must(office->ledger().PublishCheckpoint().status());
  options.ledger_dir = office->dir();
  options.max_evidence_leaves = absl::GetFlag(FLAGS_max_evidence_leaves);
  office->Close();
  return options;
}

// The follower's next commit for `origin`: up to `batch` leaves of
// `staging` from `at` on.
office::FollowCommit NextBatch(const office::Mirror& staging,
                               const std::string& origin, uint64_t at,
                               uint64_t batch) {
  office::FollowCommit c;
  c.origin = origin;
  c.first_index = at;
  const absl::Status read = staging.Visit(
      origin, at, [&](uint64_t, absl::string_view leaf) -> absl::Status {
        c.entries.emplace_back(leaf);
        return c.entries.size() < batch ? absl::OkStatus()
                                        : absl::CancelledError("full");
      });
  if (!absl::IsCancelled(read)) Must(read);
  c.state.set_verified_size(at + c.entries.size());
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<std::string> origins;
  for (int i = 0; i < absl::GetFlag(FLAGS_origins); ++i) {
    origins.push_back(absl::StrCat("f", i, ".example.eu/ledger"));
  }
  auto staging =
      Must(office::Mirror::Open(ledger::testonly::FreshDir("fold-src")));
  const absl::Time g0 = absl::Now();
  const std::vector<uint64_t> sizes =
      MakeFactories(origins, absl::GetFlag(FLAGS_entries),
                    absl::GetFlag(FLAGS_models), staging.get());
  uint64_t total = 0;
  for (uint64_t s : sizes) total += s;
  absl::PrintF("%d factory logs, %d leaves in all, written in %.1f s\n",
               origins.size(), total, absl::ToDoubleSeconds(absl::Now() - g0));

  const office::OfficeLedgerOptions options = OfficeLedger();
  auto mirror =
      Must(office::Mirror::Open(ledger::testonly::FreshDir("fold-mirror")));
  auto sink = Must(office::OfficeLedgerSink::Open(options, mirror.get()));
  absl::PrintF("start: heap %.1f MiB, RSS %.1f MiB\n", HeapMib(),
               StatusMib("VmRSS:"));
  absl::PrintF("%10s %10s %10s %10s %12s %8s %8s\n", "entries", "heap MiB",
               "RSS MiB", "peak MiB", "kept leaves", "sync s", "office");
  const uint64_t batch = absl::GetFlag(FLAGS_batch);
  std::vector<uint64_t> at(origins.size(), 0);
  uint64_t folded = 0, next_print = total / 10;
  double sync_seconds = 0, all_sync = 0;
  uint64_t office_size = 0;
  uint64_t kept_at_end = 0;
  for (bool more = true; more;) {
    more = false;
    for (size_t i = 0; i < origins.size(); ++i) {
      if (at[i] >= sizes[i]) continue;
      const office::FollowCommit c =
          NextBatch(*staging, origins[i], at[i], batch);
      at[i] += c.entries.size();
      folded += c.entries.size();
      Must(mirror->Commit(c));
      const absl::Time s0 = absl::Now();
      office_size = Must(sink->Sync(origins[i])).office_size;
      const double s = absl::ToDoubleSeconds(absl::Now() - s0);
      sync_seconds += s;
      all_sync += s;
      more = more || at[i] < sizes[i];
      if (folded >= next_print || (!more && i + 1 == origins.size())) {
        absl::PrintF("%10d %10.1f %10.1f %10.1f %12d %8.2f %8d\n", folded,
                     HeapMib(), StatusMib("VmRSS:"), StatusMib("VmHWM:"),
                     sink->EvidenceLeavesKept(), sync_seconds, office_size);
        sync_seconds = 0;
        next_print += total / 10;
        kept_at_end = sink->EvidenceLeavesKept();
      }
    }
  }
  absl::PrintF(
      "folded %d leaves: Sync %.1f s in all (%.0f leaves/s); Office "
      "ledger %d entries\n",
      folded, all_sync, folded / all_sync, office_size);
  // The heap above also holds RocksDB's memtables (64 MiB per column family
  // before a flush): what the sink itself held is what freeing it returns.
  const double with_sink = HeapMib();
  sink.reset();
  absl::PrintF(
      "the sink (Office fold + Office ledger) held %.1f MiB of heap "
      "at the end; %d kept leaves\n",
      with_sink - HeapMib(), kept_at_end);
  return 0;
}
