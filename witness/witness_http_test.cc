// The witness over loopback HTTP: every status code of c2sp.org/tlog-witness,
// split views kept as evidence, state across restarts, and the per-origin
// atomicity of the old-size check and the update.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/signed_note.h"
#include "ledger/witnessing/add_checkpoint_request.h"
#include "witness/testonly/fake_log.h"
#include "witness/testonly/http_client.h"
#include "witness/trusted_logs.h"
#include "witness/witness.h"
#include "witness/witness_http_server.h"
#include "witness/witness_store.h"

namespace witness {
namespace {

using testonly::FakeLog;
using testonly::HttpClient;
using testonly::HttpReply;

constexpr absl::string_view kOriginA = "factory-a.example.eu/ledger";
constexpr absl::string_view kOriginB = "factory-b.example.eu/ledger";
constexpr absl::string_view kWitnessName = "office.example.eu/w1";

std::string OriginHash(absl::string_view origin) {
  const auto d = ledger::crypto::Sha256({origin});
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

class WitnessHttpTest : public ::testing::Test {
 protected:
  WitnessHttpTest()
      : a_(kOriginA, 1, "a"),
        a_fork_(kOriginA, 1, "a-fork"),
        b_(kOriginB, 2, "b"),
        clock_(absl::FromUnixSeconds(1800000000)) {
    a_.GrowTo(2000);
    a_fork_.GrowTo(2000);
    b_.GrowTo(100);
  }

  void SetUp() override {
    dir_ = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/state-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Start();
  }

  void Start() {
    auto store = WitnessStore::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto logs = TrustedLogs::Parse(absl::StrCat(
        "# the logs this witness cosigns\n", a_.LogLine(), b_.LogLine()));
    ASSERT_TRUE(logs.ok()) << logs.status();
    auto cosigner = ledger::note::Cosigner::Create(
        kWitnessName,
        *ledger::crypto::SigningKey::FromSeed(std::string(32, '\x77')));
    verifier_ = std::make_unique<ledger::note::CosignatureVerifier>(
        *ledger::note::CosignatureVerifier::FromVerifierKey(
            (*cosigner)->VerifierKey()));
    auto w = Witness::Create(*std::move(cosigner), *std::move(logs),
                             store_.get(), &clock_);
    ASSERT_TRUE(w.ok()) << w.status();
    witness_ = *std::move(w);
    WitnessHttpServerOptions options;
    options.prefix = "/w";
    options.threads = 4;  // several loops, whatever the machine
    auto server = WitnessHttpServer::Start(witness_.get(), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<HttpClient>(server_->port());
  }

  void Stop() {
    client_.reset();
    server_.reset();
    witness_.reset();
    store_.reset();
  }

  HttpReply Post(absl::string_view body) {
    absl::StatusOr<HttpReply> r =
        client_->Request("POST", "/w/add-checkpoint", body);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : HttpReply{};
  }
  HttpReply Get(absl::string_view path) {
    absl::StatusOr<HttpReply> r = client_->Request("GET", path);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : HttpReply{};
  }

  // Checks a 200 reply: one cosignature line over `log`'s checkpoint of
  // `size`, by this witness, at the fake clock's time.
  void ExpectCosigned(const HttpReply& reply, const FakeLog& log,
                      uint64_t size) {
    ASSERT_EQ(reply.status, 200) << reply.body;
    const std::string note = log.Checkpoint(size) + reply.body;
    auto split = ledger::note::SplitSignedNote(note);
    ASSERT_TRUE(split.ok()) << split.status();
    ASSERT_EQ(split->signatures.size(), 2u);
    const ledger::note::SignatureLine& line = split->signatures[1];
    EXPECT_EQ(line.name, kWitnessName);
    EXPECT_EQ(line.key_id, verifier_->key_id());
    auto ts = verifier_->Verify(split->text, line.signature);
    ASSERT_TRUE(ts.ok()) << ts.status();
    EXPECT_EQ(*ts, 1800000000u);
  }

  std::string Evidence(absl::string_view origin = "") {
    return Get(origin.empty()
                   ? std::string("/w/evidence")
                   : absl::StrCat("/w/", OriginHash(origin), "/evidence"))
        .body;
  }

  FakeLog a_, a_fork_, b_;
  common::FakeClock clock_;
  std::string dir_;
  std::unique_ptr<WitnessStore> store_;
  std::unique_ptr<ledger::note::CosignatureVerifier> verifier_;
  std::unique_ptr<Witness> witness_;
  std::unique_ptr<WitnessHttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(WitnessHttpTest, CosignsFromZeroThenExtendsWithProofs) {
  ExpectCosigned(Post(a_.Request(0, 10)), a_, 10);
  ExpectCosigned(Post(a_.Request(10, 1000)), a_, 1000);
  ExpectCosigned(Post(a_.Request(1000, 1000)), a_, 1000);  // same again
  ExpectCosigned(Post(a_.Request(1000, 1999)), a_, 1999);
  // Origins are independent.
  ExpectCosigned(Post(b_.Request(0, 50)), b_, 50);
  // Monitoring read: the log's signature and the cosignature.
  HttpReply latest =
      Get(absl::StrCat("/w/", OriginHash(kOriginA), "/checkpoint"));
  EXPECT_EQ(latest.status, 200);
  EXPECT_EQ(latest.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(latest.body.substr(0, a_.Checkpoint(1999).size()),
            a_.Checkpoint(1999));
  EXPECT_NE(latest.body.find(absl::StrCat("\xe2\x80\x94 ", kWitnessName, " ")),
            std::string::npos);
  EXPECT_EQ(Evidence(), "");
}

// A body larger than libmicrohttpd's per-connection buffer (8 KiB) but
// within the 64 KiB limit arrives whole, in several calls: a checkpoint with
// 48 KiB of extension lines is cosigned over every byte.
TEST_F(WitnessHttpTest, BodyLargerThanTheConnectionBufferArrivesWhole) {
  ledger::note::Checkpoint c;
  c.origin = a_.origin();
  c.size = 10;
  c.root = a_.Root(10);
  for (int i = 0; i < 48; ++i) {
    c.extensions.push_back(
        absl::StrCat("ext ", i, " ", std::string(1000, 'e')));
  }
  const std::string text = ledger::note::FormatCheckpointBody(c);
  auto note = a_.signer().Sign(text);
  ASSERT_TRUE(note.ok()) << note.status();
  const std::string body =
      ledger::witnessing::FormatAddCheckpointRequest(0, {}, *note);
  ASSERT_GT(body.size(), 32u << 10);  // four times the buffer
  const HttpReply reply = Post(body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto split = ledger::note::SplitSignedNote(*note + reply.body);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->signatures.size(), 2u);
  EXPECT_TRUE(verifier_->Verify(text, split->signatures[1].signature).ok());
}

// The small per-connection buffer still holds a request line and headers of
// a few KiB (a proxy's added headers): a 3,000-character path is read whole
// and answered (404: no such route), not refused as too large.
TEST_F(WitnessHttpTest, AFewKiBOfRequestLineFitTheConnectionBuffer) {
  const HttpReply reply = Get(absl::StrCat("/w/", std::string(3000, 'p')));
  EXPECT_EQ(reply.status, 404) << reply.body;
  EXPECT_EQ(Get("/w/evidence").status, 200);  // The connection still serves.
}

TEST_F(WitnessHttpTest, EveryRefusalCode) {
  // 404: an origin it does not know.
  FakeLog unknown("elsewhere.example/log", 9, "u");
  unknown.GrowTo(5);
  EXPECT_EQ(Post(unknown.Request(0, 5)).status, 404);
  // 403: a known origin signed by another key.
  FakeLog impostor(kOriginA, 3, "a");
  impostor.GrowTo(5);
  EXPECT_EQ(Post(impostor.Request(0, 5)).status, 403);
  // 400: a malformed body; old above the checkpoint size.
  EXPECT_EQ(Post("old 01\n\nx").status, 400);
  EXPECT_EQ(Post(absl::StrCat("old 6\n\n", a_.Checkpoint(5))).status, 400);
  // 422: a proof from 0.
  EXPECT_EQ(
      Post(absl::StrCat("old 0\n", ledger::merkle::HashToBase64(a_.Root(1)),
                        "\n\n", a_.Checkpoint(5)))
          .status,
      422);
  ExpectCosigned(Post(a_.Request(0, 5)), a_, 5);
  // 409: old is not the cosigned size; the body says which it is.
  HttpReply stale = Post(a_.Request(3, 8));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.content_type, "text/x.tlog.size");
  EXPECT_EQ(stale.body, "5\n");
  EXPECT_EQ(Post(a_.Request(0, 8)).body, "5\n");
  // 422: a proof that does not verify (another tree's proof).
  EXPECT_EQ(Post(absl::StrCat("old 5\n",
                              ledger::merkle::HashToBase64(
                                  ledger::merkle::HashLeaf("x")),
                              "\n\n", a_.Checkpoint(8)))
                .status,
            422);
  // 405, 404, 413 at the HTTP layer.
  EXPECT_EQ(Get("/w/add-checkpoint").status, 405);
  EXPECT_EQ(Get("/w/nothing").status, 404);
  EXPECT_EQ(Get("/add-checkpoint").status, 404);  // without the prefix
  EXPECT_EQ(Get(absl::StrCat("/w/", OriginHash("nope"), "/checkpoint")).status,
            404);
  EXPECT_EQ(
      Get(absl::StrCat("/w/", OriginHash(kOriginB), "/checkpoint")).status,
      404);  // known, never cosigned
  EXPECT_EQ(Post(std::string(70 << 10, 'x')).status, 413);
  // The state did not move: 5 is still the cosigned size.
  ExpectCosigned(Post(a_.Request(5, 8)), a_, 8);
}

TEST_F(WitnessHttpTest, SplitViewSameSizeIsRefusedAndKept) {
  ExpectCosigned(Post(a_.Request(0, 100)), a_, 100);
  // The log signs another tree of the same size: 409, evidence kept.
  const std::string fork = a_fork_.Request(100, 100);
  HttpReply r = Post(fork);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "100\n");
  // Also when the log claims old = 0 (it does not know what was cosigned).
  Post(a_fork_.Request(0, 100));
  const std::string evidence = Evidence(kOriginA);
  EXPECT_NE(evidence.find("origin factory-a.example.eu/ledger\n"),
            std::string::npos);
  EXPECT_NE(evidence.find(
                absl::StrCat("reason size 100: root ",
                             ledger::merkle::HashToBase64(a_fork_.Root(100)),
                             " differs from the cosigned root ",
                             ledger::merkle::HashToBase64(a_.Root(100)))),
            std::string::npos)
      << evidence;
  EXPECT_NE(evidence.find(fork), std::string::npos);  // the request, verbatim
  EXPECT_EQ(Evidence(kOriginB), "");
  EXPECT_EQ(Evidence(), evidence);
  // A retry of the same request adds nothing.
  Post(fork);
  EXPECT_EQ(Evidence(), evidence);
}

TEST_F(WitnessHttpTest, SmallerAfterLargerIsRefusedAndKept) {
  ExpectCosigned(Post(a_.Request(0, 500)), a_, 500);
  // A smaller checkpoint: refused whatever old it claims.
  EXPECT_EQ(Post(a_.Request(0, 300)).status, 409);
  EXPECT_EQ(Post(absl::StrCat("old 500\n\n", a_fork_.Checkpoint(300))).status,
            400);
  const std::string evidence = Evidence(kOriginA);
  EXPECT_NE(evidence.find("reason size 300 is below the cosigned size 500"),
            std::string::npos)
      << evidence;
  // A larger checkpoint from the fork: its proof cannot verify from 500.
  HttpReply r = Post(absl::StrCat(
      "old 500\n",
      [&] {
        std::string lines;
        for (const auto& h : a_fork_.Proof(500, 900)) {
          absl::StrAppend(&lines, ledger::merkle::HashToBase64(h), "\n");
        }
        return lines;
      }(),
      "\n", a_fork_.Checkpoint(900)));
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(Evidence(kOriginA).find("reason size 900 is not consistent"),
            std::string::npos);
  // The honest log goes on.
  ExpectCosigned(Post(a_.Request(500, 900)), a_, 900);
}

TEST_F(WitnessHttpTest, StateSurvivesRestart) {
  ExpectCosigned(Post(a_.Request(0, 700)), a_, 700);
  Post(a_fork_.Request(700, 700));  // evidence
  Stop();
  Start();
  EXPECT_EQ(Post(a_.Request(0, 800)).body, "700\n");
  ExpectCosigned(Post(a_.Request(700, 800)), a_, 800);
  EXPECT_NE(Evidence(kOriginA).find("reason size 700: root"),
            std::string::npos);
}

TEST_F(WitnessHttpTest, ConcurrentRequestsFromOneOldSizeCosignOnlyOne) {
  ExpectCosigned(Post(a_.Request(0, 100)), a_, 100);
  // Sixteen requests all from old = 100 to different sizes: exactly one
  // passes the old-size check; the rest see the size it stored (409).
  constexpr int kRequests = 16;
  std::vector<std::string> bodies;
  for (int i = 0; i < kRequests; ++i) {
    bodies.push_back(a_.Request(100, 101 + i * 37));
  }
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(server_->port());
      auto r = client.Request("POST", "/w/add-checkpoint", bodies[i]);
      if (r.ok() && r->status == 200) ++ok;
      if (r.ok() && r->status == 409) ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), kRequests - 1);
}

// Two origins at once over connections spread across the event loops: per
// origin and round, of four requests from the cosigned size exactly one
// passes (the old-size check holds across loops and their batches), and no
// two loops wait for each other's origins (the test would hang).
TEST_F(WitnessHttpTest, TwoOriginsRacingOverSeveralLoopsCosignOncePerRound) {
  constexpr int kClients = 8;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<HttpClient>(server_->port()));
  }
  FakeLog* logs[2] = {&a_, &b_};
  uint64_t cosigned[2] = {0, 0};
  for (int round = 0; round < 20; ++round) {
    std::vector<uint64_t> sizes(kClients);
    std::vector<std::string> bodies(kClients);
    for (int i = 0; i < kClients; ++i) {
      sizes[i] = cosigned[i % 2] + 1 + i / 2;
      bodies[i] = logs[i % 2]->Request(cosigned[i % 2], sizes[i]);
    }
    std::vector<int> status(kClients, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
      threads.emplace_back([&, i] {
        auto r = clients[i]->Request("POST", "/w/add-checkpoint", bodies[i]);
        status[i] = r.ok() ? r->status : 0;
      });
    }
    for (auto& t : threads) t.join();
    for (int l = 0; l < 2; ++l) {
      int passed = 0;
      for (int i = l; i < kClients; i += 2) {
        if (status[i] == 200) {
          ++passed;
          cosigned[l] = sizes[i];
        } else {
          EXPECT_EQ(status[i], 409) << "round " << round << ", client " << i;
        }
      }
      EXPECT_EQ(passed, 1) << "round " << round << ", origin " << l;
    }
  }
}

}  // namespace
}  // namespace witness
