// The AI Office across three factories, end to end over loopback: three
// real ledger_server processes serve their tiles over HTTP; one provider
// trains frontier-1 at two of them, 0.75e25 FLOP each (no factory sees it
// reach 1e25); the real office_monitor follows the three over HTTP and
// records into the Office ledger through the gRPC ingest of a fourth
// ledger_server (mTLS: the office and rules keys each bound to its client
// certificate), which serves the Office ledger all along. The monitor is
// SIGKILLed as soon as it has mirrored all three (mid-recording) and
// restarted twice: no finding is recorded twice. While it runs, an auditor
// reads the Office ledger from that server: `ledgerctl models --server`
// shows each factory's share, and the union's C4 finding (Art. 52(1)
// notification, 1e25 crossed) is there with every evidence leaf proven in
// its factory's tiles.
#include <signal.h>
#include <stdlib.h>

#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/client/open_log_reader.h"
#include "common/testonly/runfiles.h"
#include "compliance/leaf_entry.h"
#include "compliance/office_evidence.h"
#include "compliance/office_state.h"
#include "compliance/testonly/factory_log.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"
#include "schema/findings.pb.h"
#include "tests/server/server_process.h"
#include "tests/server/test_ca.h"

namespace {

using compliance::testonly::Declaration;
using compliance::testonly::FactoryLog;
using tests::server::CertFiles;
using tests::server::ReadAll;
using tests::server::ServerProcess;
using tests::server::TestCa;

const absl::Time kT0 = absl::FromUnixSeconds(1'780'100'000);
constexpr char kOffice[] = "office.example.eu/ledger";

template <typename T>
T Must(absl::StatusOr<T> v) {
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

std::string Bin(const std::string& path) {
  return common::testonly::RunfilePath(path);
}

struct Factory {
  std::string origin;
  std::string dir;
  std::string vkey;
  std::vector<std::string> leaves;
  std::unique_ptr<ServerProcess> server;
  std::string tiles;
};

// A factory log; `flop` of frontier-1 (0: none) and a small model of its own.
Factory MakeFactory(const std::string& origin, double flop) {
  auto log = Must(FactoryLog::Create(origin));
  EXPECT_TRUE(log->EnrolProvider("frontier", 1, "Frontier Labs SAS").ok());
  if (flop > 0) {
    Must(log->Provider("frontier",
                       Declaration("frontier-1", "Frontier Labs SAS"), kT0));
    Must(log->Run({origin + "/1", "frontier-1", "acct", kT0 + absl::Hours(1),
                   flop, 4e12}));
  }
  Must(log->Provider(
      "frontier",
      Declaration("small-" + origin.substr(0, 1), "Frontier Labs SAS"), kT0));
  Must(log->Run({origin + "/2", "small-" + origin.substr(0, 1), "acct",
                 kT0 + absl::Hours(2), 1e22, 1e9}));
  Must(log->ledger().PublishCheckpoint());
  Factory f{origin, log->dir(), log->ledger().VerifierKey(),
            Must(log->Leaves())};
  log->Close();
  return f;
}

// A ledger_server on `dir` with tiles over HTTP; its tiles URL in *tiles.
// With `ca`, over mTLS (else --insecure_loopback).
std::unique_ptr<ServerProcess> Serve(const std::string& dir,
                                     const std::string& name, int* grpc_port,
                                     std::string* tiles,
                                     const TestCa* ca = nullptr) {
  const std::string log = dir + "/../" + name + "-server.log";
  std::vector<std::string> argv = {
      Bin("api/server/ledger_server"), "--ledger_dir=" + dir,
      "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0",
      "--checkpoint_interval=100ms"};
  if (ca == nullptr) {
    argv.push_back("--insecure_loopback");
  } else {
    argv.push_back("--tls_cert=" + ca->server().cert);
    argv.push_back("--tls_key=" + ca->server().key);
    argv.push_back("--tls_client_ca=" + ca->ca_cert());
  }
  auto p = std::make_unique<ServerProcess>(argv, log, 1024);
  *grpc_port = p->WaitStarted().first;
  const std::regex http(R"re("event":"http_listening".*"port":"(\d+)")re");
  std::smatch m;
  for (int i = 0; i < 300; ++i) {
    const std::string text = ReadAll(log);
    if (std::regex_search(text, m, http)) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_FALSE(m.empty()) << ReadAll(log);
  *tiles = m.empty() ? "" : absl::StrCat("http://127.0.0.1:", m[1].str());
  return p;
}

// Waits up to 60 s until `log` holds every one of `parts` (each anywhere).
bool WaitFor(const std::string& log, const std::vector<std::string>& parts) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    const std::string text = ReadAll(log);
    bool all = true;
    for (const std::string& p : parts) all = all && absl::StrContains(text, p);
    if (all) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

// Every leaf of the log at `tiles`, proven in its latest checkpoint.
std::vector<std::string> ReadProven(const std::string& tiles,
                                    const std::string& vkey) {
  api::client::LogSourceOptions o;
  o.tiles_url = tiles;
  o.vkey = vkey;
  api::client::OpenedLog opened = Must(api::client::OpenLogReader(o));
  const api::client::VerifiedCheckpoint at =
      Must(opened.reader->LatestCheckpoint());
  std::vector<std::string> out;
  while (out.size() < at.fields.size) {
    for (api::client::VerifiedLeaf& l :
         Must(opened.reader->ReadLeaves(at, out.size(), 1000))) {
      out.push_back(std::move(l.leaf));
    }
  }
  return out;
}

TEST(OfficeFederationTest, SplitRunIsFoundOnlyAtTheOfficeAndProven) {
  std::vector<Factory> factories;
  factories.push_back(MakeFactory("a.factory.example.eu/ledger", 0.75e25));
  factories.push_back(MakeFactory("b.factory.example.eu/ledger", 0.75e25));
  factories.push_back(MakeFactory("c.factory.example.eu/ledger", 0));

  // No factory alone sees frontier-1 reach 1e25: C4 is not raised on any
  // single log (the same pack, the same Office fold, one log at a time).
  for (const Factory& f : factories) {
    auto alone =
        Must(compliance::OfficeState::Create(Must(rules::LoadRulePack(""))));
    for (uint64_t i = 0; i < f.leaves.size(); ++i) {
      ASSERT_TRUE(alone->Add(f.origin, i, f.leaves[i]).ok());
    }
    for (const auto& finding : alone->Evaluate(kT0 + absl::Hours(24))) {
      EXPECT_NE(finding.rule_id(), "C4") << f.origin;
    }
  }

  // The Office ledger: its own origin, a rules key and an office key, each
  // bound to the client certificate the monitor presents for it.
  auto office_log = Must(FactoryLog::Create(kOffice));
  const std::string rules_key =
      Must(office_log->EnrolKeyFile(aifl::ledger::v1::ROLE_RULES, "AI Office",
                                    "office-rules", "office-rules"));
  const std::string office_key = Must(office_log->EnrolKeyFile(
      aifl::ledger::v1::ROLE_OFFICE, "AI Office", "office", "office-monitor"));
  Must(office_log->ledger().PublishCheckpoint());
  const std::string office_dir = office_log->dir();
  const std::string office_vkey = office_log->ledger().VerifierKey();
  office_log->Close();
  const std::string work = office_dir + "/..";
  ASSERT_EQ(::system(("mkdir -p " + work + "/ca").c_str()), 0);
  auto ca = Must(TestCa::Create(work + "/ca"));
  const CertFiles office_cert =
      Must(ca->IssueClient("office", "office-monitor", "office", "AI Office"));
  const CertFiles rules_cert =
      Must(ca->IssueClient("rules", "office-rules", "rules", "AI Office"));
  const CertFiles auditor_cert =
      Must(ca->IssueClient("auditor", "auditor-1", "auditor", "Auditors"));

  // The Office ledger, served (gRPC over mTLS, tiles) from the start.
  int office_port = 0;
  std::string office_tiles;
  auto office_server =
      Serve(office_dir, "office", &office_port, &office_tiles, ca.get());
  ASSERT_FALSE(office_tiles.empty());

  std::string config_text = "# the three factories\n";
  for (Factory& f : factories) {
    int port = 0;
    f.server = Serve(f.dir, f.origin.substr(0, 1), &port, &f.tiles);
    ASSERT_FALSE(f.tiles.empty());
    absl::StrAppend(&config_text, "log ", f.vkey, " ", f.tiles, "\n");
  }
  const std::string config = work + "/monitor.conf";
  ASSERT_EQ(
      ::system(
          absl::StrCat("printf '%s' '", config_text, "' > ", config).c_str()),
      0);
  const std::vector<std::string> monitor_args = {
      Bin("office/office_monitor"),
      "--config=" + config,
      "--state_dir=" + work + "/monitor-state",
      "--poll_interval=100ms",
      absl::StrCat("--office_server=127.0.0.1:", office_port),
      "--office_vkey=" + office_vkey,
      "--office_tls_ca=" + ca->ca_cert(),
      "--office_tls_cert=" + office_cert.cert,
      "--office_tls_key=" + office_cert.key,
      "--office_rules_tls_cert=" + rules_cert.cert,
      "--office_rules_tls_key=" + rules_cert.key,
      "--office_rules_key=" + rules_key,
      "--office_key=" + office_key};

  // Run 1: SIGKILL once every factory is mirrored (its recording may be
  // in flight). Run 2 finishes it. Run 3 must find nothing to record.
  std::vector<std::string> mirrored;
  for (const Factory& f : factories) {
    mirrored.push_back(absl::StrCat("\"verified_size\":\"", f.leaves.size()));
  }
  for (int run = 1; run <= 3; ++run) {
    const std::string log = absl::StrCat(work, "/monitor-", run, ".log");
    // Run 3 reads the Office ledger back from its tiles, runs 1-2 over
    // gRPC: either way, nothing is recorded twice.
    std::vector<std::string> args = monitor_args;
    if (run == 3) args.push_back("--office_tiles_url=" + office_tiles);
    ServerProcess monitor(args, log, 1024);
    ASSERT_TRUE(WaitFor(
        log,
        run == 1 ? mirrored : std::vector<std::string>{"\"monitor_started\""}))
        << ReadAll(log);
    if (run == 1) {
      ::kill(monitor.pid(), SIGKILL);
      monitor.WaitExit(10000);
      continue;
    }
    // Nothing new comes in: give the followers a few polls.
    absl::SleepFor(absl::Milliseconds(500));
    if (run == 3) {
      // While the monitor runs, an auditor reads the Office ledger from
      // its server: each global model with its per-factory shares.
      const std::string models_out = work + "/models.txt";
      ServerProcess models(
          {Bin("tools/ledgerctl/ledgerctl"), "models", "--server",
           absl::StrCat("127.0.0.1:", office_port), "--vkey", office_vkey,
           "--trusted_dir", work + "/trusted", "--tls_ca", ca->ca_cert(),
           "--tls_cert", auditor_cert.cert, "--tls_key", auditor_cert.key},
          work + "/models.log", 1024, models_out);
      ASSERT_EQ(models.WaitExit(30000), 0) << ReadAll(work + "/models.log");
      const std::string table = ReadAll(models_out);
      EXPECT_TRUE(absl::StrContains(table, "frontier-1")) << table;
      EXPECT_TRUE(absl::StrContains(table, "  at a.factory.example.eu/ledger"))
          << table;
      EXPECT_TRUE(absl::StrContains(table, "  at b.factory.example.eu/ledger"))
          << table;
      const std::vector<std::string> auditor = {
          "--server",      absl::StrCat("127.0.0.1:", office_port),
          "--vkey",        office_vkey,
          "--trusted_dir", work + "/trusted",
          "--tls_ca",      ca->ca_cert(),
          "--tls_cert",    auditor_cert.cert,
          "--tls_key",     auditor_cert.key};
      // One global model, by its Office name: each factory's share with
      // its evidence counts.
      std::vector<std::string> model_argv = {Bin("tools/ledgerctl/ledgerctl"),
                                             "model", "--model",
                                             "Frontier Labs SAS / frontier-1"};
      model_argv.insert(model_argv.end(), auditor.begin(), auditor.end());
      ServerProcess model(model_argv, work + "/model.log", 1024,
                          work + "/model.txt");
      ASSERT_EQ(model.WaitExit(30000), 0) << ReadAll(work + "/model.log");
      const std::string detail = ReadAll(work + "/model.txt");
      for (const char* origin :
           {"a.factory.example.eu/ledger", "b.factory.example.eu/ledger"}) {
        EXPECT_TRUE(absl::StrContains(
            detail, absl::StrCat("  at ", origin, ": training ")))
            << detail;
      }
      EXPECT_TRUE(absl::StrContains(detail, ", interval leaves ")) << detail;
      // The HTML report of the Office ledger: every global model, each
      // with the table of its factories' shares.
      std::vector<std::string> report_argv = {Bin("tools/ledgerctl/ledgerctl"),
                                              "report", "--out",
                                              work + "/office-report.html"};
      report_argv.insert(report_argv.end(), auditor.begin(), auditor.end());
      ServerProcess report(report_argv, work + "/report.log", 1024);
      ASSERT_EQ(report.WaitExit(60000), 0) << ReadAll(work + "/report.log");
      const std::string html = ReadAll(work + "/office-report.html");
      const size_t shares = html.find("Share of each factory (AI Office)");
      ASSERT_NE(shares, std::string::npos) << html.substr(0, 2000);
      EXPECT_NE(html.find("<td>a.factory.example.eu/ledger</td>", shares),
                std::string::npos);
      EXPECT_NE(html.find("<td>b.factory.example.eu/ledger</td>", shares),
                std::string::npos);
    }
    EXPECT_EQ(monitor.Stop(), 0) << ReadAll(log);
    EXPECT_FALSE(absl::StrContains(ReadAll(log), "office_record_failed"))
        << ReadAll(log);
    if (run == 3) {
      EXPECT_FALSE(absl::StrContains(ReadAll(log), "\"office_recorded\""))
          << "a restart recorded again: " << ReadAll(log);
    }
  }

  // The Office's findings, read from its tiles: each raised once; C4 on
  // frontier-1, its evidence proven in the factories' own tiles.
  std::map<std::string, std::vector<std::string>> factory_leaves;
  for (const Factory& f : factories) {
    factory_leaves[f.origin] = ReadProven(f.tiles, f.vkey);
    EXPECT_EQ(factory_leaves[f.origin], f.leaves);
  }
  // The Office ledger's leaves as its tiles prove them, read as the rules
  // engine reads them (the key registry from the folder, read-only).
  const std::vector<std::string> office_leaves =
      ReadProven(office_tiles, office_vkey);
  EXPECT_EQ(office_server->Stop(), 0);
  ledger::LedgerOptions read_only;
  read_only.dir = office_dir;
  read_only.read_only = true;
  auto office = Must(ledger::Ledger::Open(read_only));
  // A duplicate: the same finding recorded again (only the evaluation time
  // differs); a change of state, severity or message is a new record.
  std::map<std::tuple<std::string, std::string, std::string>, std::string> last;
  int c4 = 0;
  for (uint64_t i = 0; i < office_leaves.size(); ++i) {
    const compliance::ConvertedLeaf c = Must(compliance::ConvertLeaf(
        i, office_leaves[i],
        [&](const ledger::crypto::KeyId& id) { return office->FindKey(id); }));
    aifl::rules::v1::Finding f;
    if (c.entry.payload_type != rules::kFindingType ||
        !f.ParseFromString(c.entry.payload)) {
      continue;
    }
    EXPECT_EQ(c.entry.signer_role, aifl::ledger::v1::ROLE_RULES);
    aifl::rules::v1::Finding timeless = f;
    timeless.clear_evaluated_at_unix_ms();
    std::string& before = last[{f.provider(), f.model_id(), f.rule_id()}];
    EXPECT_TRUE(before != timeless.SerializeAsString())
        << "recorded twice: " << f.rule_id() << " " << f.model_id();
    before = timeless.SerializeAsString();
    if (f.state() != aifl::rules::v1::RAISED) continue;
    if (f.rule_id() != "C4" || f.model_id() != "frontier-1") continue;
    ++c4;
    EXPECT_EQ(f.provider(), "Frontier Labs SAS");
    const std::vector<compliance::OriginLeafRef> cited =
        Must(compliance::CitedOriginLeaves(f));
    std::set<std::string> origins;
    for (const compliance::OriginLeafRef& ref : cited) {
      origins.insert(ref.origin);
      const std::vector<std::string>& proven = factory_leaves[ref.origin];
      ASSERT_LT(ref.leaf, proven.size()) << ref.origin;
      // The cited leaf is the factory's own, proven in its tiles.
      EXPECT_EQ(proven[ref.leaf],
                factories[ref.origin[0] - 'a'].leaves[ref.leaf]);
    }
    EXPECT_EQ(origins, (std::set<std::string>{"a.factory.example.eu/ledger",
                                              "b.factory.example.eu/ledger"}));
  }
  EXPECT_EQ(c4, 1);
}

}  // namespace
