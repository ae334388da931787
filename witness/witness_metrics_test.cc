// aifl_witness serve --metrics_listen (issue 20): the real binary is scraped
// over loopback after real add-checkpoint traffic (200s, a 409 for a stale
// old size, a split view kept as evidence, a malformed request); the scrape
// passes Debian's `promtool check metrics` with no lint findings, and the
// counters, the per-log gauges and the latency histogram say what happened.
// After a restart the per-log gauges come back from the stored state.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/read_file.h"
#include "common/testonly/runfiles.h"
#include "common/version.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "witness/testonly/fake_log.h"
#include "witness/testonly/http_client.h"
#include "witness/testonly/spawn.h"

namespace witness {
namespace {

using testonly::FakeLog;
using testonly::HttpClient;

constexpr char kName[] = "metrics.example/witness";

class WitnessMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = std::getenv("TEST_TMPDIR");
    auto key = *ledger::crypto::SigningKey::FromSeed(std::string(32, '\x17'));
    ASSERT_TRUE(
        ledger::crypto::WriteSecretKeyFile(tmp_ + "/witness.key", *key).ok());
    log_ = std::make_unique<FakeLog>("metrics-a.example/log", 10, "leaves");
    fork_ = std::make_unique<FakeLog>("metrics-a.example/log", 10, "forked");
    idle_ = std::make_unique<FakeLog>("metrics-b.example/log", 11, "leaves");
    log_->GrowTo(100);
    fork_->GrowTo(100);
    std::ofstream(tmp_ + "/logs") << log_->LogLine() << idle_->LogLine();
  }

  void TearDown() override { Stop(); }

  void Start() {
    port_ = common::testonly::FreeLoopbackPort();
    metrics_port_ = common::testonly::FreeLoopbackPort();
    const std::string binary =
        common::testonly::RunfilePath("witness/aifl_witness");
    const std::vector<std::string> args = {
        binary,
        "serve",
        absl::StrCat("--key_file=", tmp_, "/witness.key"),
        absl::StrCat("--name=", kName),
        absl::StrCat("--logs=", tmp_, "/logs"),
        absl::StrCat("--state_dir=", tmp_, "/state"),
        absl::StrCat("--listen=127.0.0.1:", port_),
        absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port_)};
    pid_ = testonly::Spawn(args, tmp_ + "/witness.log");
    for (int i = 0; i < 400; ++i) {
      if (Scrape().find("aifl_build_info") != std::string::npos) return;
      absl::SleepFor(absl::Milliseconds(50));
    }
    FAIL() << "no /metrics: "
           << common::ReadWholeFile(tmp_ + "/witness.log").value_or("(no log)");
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    pid_ = 0;
  }

  // GET /metrics on the metrics port with curl (as Prometheus would).
  std::string Scrape() {
    const std::string cmd = absl::StrCat(
        "curl -sf --max-time 5 http://127.0.0.1:", metrics_port_, "/metrics");
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    ::pclose(p);
    return out;
  }

  int Post(const std::string& body) {
    HttpClient client(port_);
    auto r = client.Request("POST", "/add-checkpoint", body);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->status : 0;
  }

  std::string tmp_;
  std::unique_ptr<FakeLog> log_, fork_, idle_;
  int port_ = 0, metrics_port_ = 0;
  pid_t pid_ = 0;
};

// The value of the sample named exactly `sample` (with its labels as the
// exposition writes them), or -1 when absent.
double Value(const std::string& scrape, const std::string& sample) {
  for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
    if (!absl::ConsumePrefix(&line, sample) || !absl::ConsumePrefix(&line, " "))
      continue;
    double v = 0;
    if (absl::SimpleAtod(line, &v)) return v;
  }
  return -1;
}

TEST_F(WitnessMetricsTest, ScrapeOfTheRealBinaryPassesPromtoolAndCounts) {
  Start();
  EXPECT_EQ(Post(log_->Request(0, 10)), 200);
  EXPECT_EQ(Post(log_->Request(0, 20)), 409);  // stale old size
  EXPECT_EQ(Post(log_->Request(10, 50)), 200);
  // The same log key signs another tree of size 50: a split view.
  EXPECT_EQ(Post(absl::StrCat("old 50\n\n", fork_->Checkpoint(50))), 409);
  EXPECT_EQ(Post("not a request"), 400);

  const std::string scrape = Scrape();
  const std::string path = tmp_ + "/scrape.txt";
  std::ofstream(path) << scrape;
  const std::string promtool = absl::StrCat("promtool check metrics < ", path,
                                            " > ", tmp_, "/promtool.out 2>&1");
  EXPECT_EQ(std::system(promtool.c_str()), 0)
      << common::ReadWholeFile(tmp_ + "/promtool.out").value_or("") << scrape;
  EXPECT_EQ(common::ReadWholeFile(tmp_ + "/promtool.out").value_or("?"), "")
      << "promtool lint findings";

  const std::string a = "{origin=\"metrics-a.example/log\"}";
  const std::string b = "{origin=\"metrics-b.example/log\"}";
  EXPECT_EQ(Value(scrape,
                  "aifl_witness_add_checkpoint_requests_total{code="
                  "\"200\"}"),
            2);
  EXPECT_EQ(Value(scrape,
                  "aifl_witness_add_checkpoint_requests_total{code="
                  "\"409\"}"),
            2);
  EXPECT_EQ(Value(scrape,
                  "aifl_witness_add_checkpoint_requests_total{code="
                  "\"400\"}"),
            1);
  EXPECT_EQ(Value(scrape, "aifl_witness_add_checkpoint_duration_seconds_count"),
            5);
  EXPECT_GT(Value(scrape, "aifl_witness_add_checkpoint_duration_seconds_sum"),
            0);
  EXPECT_EQ(Value(scrape, "aifl_witness_cosigned_tree_size" + a), 50);
  EXPECT_EQ(Value(scrape, "aifl_witness_cosigned_tree_size" + b), 0);
  EXPECT_EQ(Value(scrape, "aifl_witness_evidence_records" + a), 1);
  EXPECT_EQ(Value(scrape, "aifl_witness_evidence_records" + b), 0);
  EXPECT_EQ(Value(scrape, absl::StrCat("aifl_build_info{version=\"",
                                       common::kVersion, "\"}")),
            1);

  // A restart: the per-log gauges come from the stored state; the request
  // counters start again.
  Stop();
  Start();
  const std::string again = Scrape();
  EXPECT_EQ(Value(again, "aifl_witness_cosigned_tree_size" + a), 50);
  EXPECT_EQ(Value(again, "aifl_witness_evidence_records" + a), 1);
  EXPECT_EQ(Value(again, "aifl_witness_add_checkpoint_duration_seconds_count"),
            0);
  std::cout << scrape;
}

}  // namespace
}  // namespace witness
