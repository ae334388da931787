// Ingest, Audit and Admin over real gRPC on loopback (insecure loopback
// mode): every method's happy path, idempotent resubmission, and each class
// of bad input rejected with its canonical code and nothing appended.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/verify.h"
#include "ledger/note/checkpoint.h"
#include "ledger/roles.h"
#include "schema/collector.pb.h"
#include "tests/server/server_harness.h"

namespace tests::server {
namespace {

using aifl::api::v1::Admin;
using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;
using ledger::merkle::Hash;

// Opaque payloads (api/README.md, "Payload validation"): these tests are about
// envelopes, not contents.
constexpr char kInterval[] = "aifl.collector.v1.Blob";

std::vector<Hash> ToHashes(
    const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<Hash> out;
  for (const std::string& s : in) {
    Hash h{};
    std::copy(s.begin(), s.end(), h.begin());
    out.push_back(h);
  }
  return out;
}

Hash RootOf(const std::string& note) {
  auto body =
      ledger::note::ParseCheckpointBody(note.substr(0, note.find("\n\n") + 1));
  EXPECT_TRUE(body.ok()) << body.status();
  Hash h{};
  std::copy(body->root.begin(), body->root.end(), h.begin());
  return h;
}

class ServerApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::server::ServerOptions options;
    options.checkpoint_interval = absl::Milliseconds(20);
    options.max_receive_bytes = 2 << 20;
    auto harness = ServerHarness::Start(nullptr, options);
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    auto channel = harness_->InsecureChannel();
    ingest_ = Ingest::NewStub(channel);
    audit_ = Audit::NewStub(channel);
    admin_ = Admin::NewStub(channel);
    auto collector = harness_->fixture().EnrolNewKey(
        aifl::ledger::v1::ROLE_COLLECTOR, "factory", "node-1");
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
  }

  aifl::api::v1::SubmitResponse SubmitOk(const std::vector<std::string>& envs) {
    aifl::api::v1::SubmitRequest request;
    for (const auto& e : envs) request.add_envelopes(e);
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = ingest_->Submit(&ctx, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  std::string Sign(const std::string& payload) {
    return collector_->SignNext(kInterval, payload).value();
  }

  std::unique_ptr<ServerHarness> harness_;
  std::unique_ptr<Ingest::Stub> ingest_;
  std::unique_ptr<Audit::Stub> audit_;
  std::unique_ptr<Admin::Stub> admin_;
  std::unique_ptr<ledger::EntrySigner> collector_;
};

TEST_F(ServerApiTest, SubmitGivesDurableThenProofReceipts) {
  const uint64_t before = harness_->ledger().Size();
  auto response = SubmitOk({Sign("a"), Sign("b"), Sign("c")});
  ASSERT_EQ(response.results_size(), 3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(response.results(i).has_receipt());
    EXPECT_EQ(response.results(i).receipt().leaf_index(), before + i);
    EXPECT_FALSE(response.results(i).receipt().duplicate());
  }
  aifl::api::v1::ProofReceiptRequest request;
  for (int i = 0; i < 3; ++i) request.add_leaf_indices(before + i);
  request.set_wait(true);
  aifl::api::v1::ProofReceipt receipt;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(ingest_->GetProofReceipt(&ctx, request, &receipt).ok());
  ASSERT_EQ(receipt.proofs_size(), 3);
  Hash root = RootOf(receipt.checkpoint());
  for (int i = 0; i < 3; ++i) {
    const auto& proof = receipt.proofs(i);
    std::string leaf = harness_->ledger().GetLeaf(proof.leaf_index()).value();
    EXPECT_TRUE(ledger::merkle::VerifyInclusion(proof.leaf_index(),
                                                proof.tree_size(),
                                                ledger::merkle::HashLeaf(leaf),
                                                ToHashes(proof.hashes()), root)
                    .ok());
  }
}

TEST_F(ServerApiTest, ResubmissionReturnsTheOriginalReceipt) {
  std::string envelope = Sign("once");
  auto first = SubmitOk({envelope});
  const uint64_t size = harness_->ledger().Size();
  auto again = SubmitOk({envelope});
  ASSERT_TRUE(again.results(0).has_receipt());
  EXPECT_TRUE(again.results(0).receipt().duplicate());
  EXPECT_EQ(again.results(0).receipt().leaf_index(),
            first.results(0).receipt().leaf_index());
  EXPECT_EQ(again.results(0).receipt().integration_time_unix_micros(),
            first.results(0).receipt().integration_time_unix_micros());
  EXPECT_EQ(harness_->ledger().Size(), size);
}

TEST_F(ServerApiTest, AuditReadsCheckpointsEntriesAndProofs) {
  SubmitOk({Sign("x"), Sign("y")});
  ASSERT_TRUE(harness_->ledger().PublishCheckpoint().ok());
  const uint64_t size1 = harness_->ledger().Size();
  SubmitOk({Sign("z")});
  ASSERT_TRUE(harness_->ledger().PublishCheckpoint().ok());
  const uint64_t size2 = harness_->ledger().Size();

  aifl::api::v1::Checkpoint latest, old;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->GetCheckpoint(&ctx, {}, &latest).ok());
    EXPECT_EQ(latest.size(), size2);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetCheckpointRequest r;
    r.set_size(size1);
    ASSERT_TRUE(audit_->GetCheckpoint(&ctx, r, &old).ok());
    EXPECT_EQ(old.size(), size1);
  }
  aifl::api::v1::GetEntriesResponse entries;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetEntriesRequest r;
    r.set_start(size2 - 2);
    r.set_count(1000);
    ASSERT_TRUE(audit_->GetEntries(&ctx, r, &entries).ok());
    ASSERT_EQ(entries.leaves_size(), 2);
    EXPECT_EQ(entries.leaves(1), harness_->ledger().GetLeaf(size2 - 1).value());
  }
  // Inclusion by hash, against the latest checkpoint.
  Hash leaf_hash = ledger::merkle::HashLeaf(entries.leaves(1));
  aifl::api::v1::InclusionProof proof;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_hash(std::string(leaf_hash.begin(), leaf_hash.end()));
    ASSERT_TRUE(audit_->GetInclusionProof(&ctx, r, &proof).ok());
    EXPECT_EQ(proof.leaf_index(), size2 - 1);
    EXPECT_TRUE(ledger::merkle::VerifyInclusion(size2 - 1, size2, leaf_hash,
                                                ToHashes(proof.hashes()),
                                                RootOf(latest.note()))
                    .ok());
  }
  // Inclusion by index, at an older size.
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_index(0);
    r.set_tree_size(size1);
    ASSERT_TRUE(audit_->GetInclusionProof(&ctx, r, &proof).ok());
    EXPECT_TRUE(
        ledger::merkle::VerifyInclusion(
            0, size1,
            ledger::merkle::HashLeaf(harness_->ledger().GetLeaf(0).value()),
            ToHashes(proof.hashes()), RootOf(old.note()))
            .ok());
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ConsistencyProofRequest r;
    r.set_from_size(size1);
    aifl::api::v1::ConsistencyProof c;
    ASSERT_TRUE(audit_->GetConsistencyProof(&ctx, r, &c).ok());
    EXPECT_EQ(c.to_size(), size2);
    EXPECT_TRUE(ledger::merkle::VerifyConsistency(
                    size1, size2, ToHashes(c.hashes()), RootOf(old.note()),
                    RootOf(latest.note()))
                    .ok());
  }
}

TEST_F(ServerApiTest, AdminEnrolsListsKeysAndReportsStatus) {
  auto key = ledger::crypto::SigningKey::Generate().value();
  aifl::ledger::v1::KeyEvent event;
  event.mutable_enrol()->set_public_key(std::string(key->public_key().bytes()));
  event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_PROVIDER);
  event.mutable_enrol()->set_organisation("Model Lab");
  event.mutable_enrol()->set_tls_identity("lab-submitter");
  aifl::api::v1::SubmitKeyEventRequest request;
  request.set_envelope(
      harness_->fixture()
          .admin()
          .SignNext(ledger::kKeyEventType, event.SerializeAsString())
          .value());
  aifl::api::v1::EntryResult result;
  {
    grpc::ClientContext ctx;
    grpc::Status s = admin_->SubmitKeyEvent(&ctx, request, &result);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(result.has_receipt());
  }
  aifl::api::v1::ListKeysResponse keys;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin_->ListKeys(&ctx, {}, &keys).ok());
  }
  bool found = false;
  for (const auto& k : keys.keys()) {
    if (k.tls_identity() == "lab-submitter") {
      found = true;
      EXPECT_EQ(k.role(), "provider");
      EXPECT_EQ(k.organisation(), "Model Lab");
      EXPECT_EQ(k.key_id().size(), 16u);
    }
  }
  EXPECT_TRUE(found);
  aifl::api::v1::ServerStatus status;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin_->GetStatus(&ctx, {}, &status).ok());
  }
  EXPECT_EQ(status.origin(), harness_->ledger().origin());
  EXPECT_EQ(status.tree_size(), harness_->ledger().Size());
  EXPECT_EQ(status.verifier_key(), harness_->ledger().VerifierKey());
  EXPECT_GT(status.storage_bytes(), 0u);
  EXPECT_FALSE(status.version().empty());
  // A real clock: the ledger is not marked as simulated.
  EXPECT_FALSE(status.has_simulated_clock_since());
}

// Enrolling a key enrolled before: ALREADY_EXISTS naming the key (it was
// DATA_LOSS about an unreadable leaf), nothing appended, and the admin's
// sequence number stays free for its next key event.
TEST_F(ServerApiTest, AdminRefusesEnrollingAnEnrolledKey) {
  const uint64_t size = harness_->ledger().Size();
  ledger::EntrySigner& admin = harness_->fixture().admin();
  const uint64_t sequence = admin.next_sequence();
  auto enrol = [&](const ledger::crypto::PublicKey& key) {
    aifl::ledger::v1::KeyEvent event;
    event.mutable_enrol()->set_public_key(std::string(key.bytes()));
    event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
    aifl::api::v1::SubmitKeyEventRequest request;
    request.set_envelope(
        admin.SignAt(sequence, ledger::kKeyEventType, event.SerializeAsString())
            .value());
    aifl::api::v1::EntryResult result;
    grpc::ClientContext ctx;
    return admin_->SubmitKeyEvent(&ctx, request, &result);
  };
  grpc::Status refused = enrol(collector_->public_key());
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::ALREADY_EXISTS)
      << refused.error_message();
  EXPECT_EQ(refused.error_message(),
            "key " + collector_->key_id().ToString() +
                " is already enrolled (keys are never re-used)");
  EXPECT_EQ(harness_->ledger().Size(), size);
  auto fresh = ledger::crypto::SigningKey::Generate().value();
  grpc::Status enrolled = enrol(fresh->public_key());
  EXPECT_TRUE(enrolled.ok()) << enrolled.error_message();
  EXPECT_EQ(harness_->ledger().Size(), size + 1);
  SubmitOk({Sign("the collector goes on")});
}

// Calls `method` with the raw `body` through a generic stub; fills
// `response` and returns the status.
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& body,
                          grpc::ByteBuffer* response) {
  grpc::GenericStub generic(channel);
  grpc::ClientContext ctx;
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&ctx, method, grpc::StubOptions(), &request, response,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> l(mu);
                      status = s;
                      done = true;
                      cv.notify_all();
                    });
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return done; });
  return status;
}

// Issue 14 item 8: a request body that is not the method's message used to
// get UNIMPLEMENTED without a message.
TEST_F(ServerApiTest, UnparsableRequestIsInvalidArgument) {
  grpc::ByteBuffer response;
  grpc::Status status =
      RawUnaryCall(harness_->InsecureChannel(), "/aifl.api.v1.Ingest/Submit",
                   std::string("\xff\xff\xff\xff", 4), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_code() << " " << status.error_message();
  EXPECT_NE(status.error_message().find("does not parse"), std::string::npos);
}

TEST_F(ServerApiTest, HealthCheckServes) {
  grpc::ByteBuffer response;  // HealthCheckRequest{} is empty
  grpc::Status status =
      RawUnaryCall(harness_->InsecureChannel(), "/grpc.health.v1.Health/Check",
                   "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (auto& s : slices) bytes += std::string(s.begin(), s.end());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // status: SERVING
}

// ------------------------------------------------------------ bad input

grpc::StatusCode SubmitCode(Ingest::Stub* stub,
                            const aifl::api::v1::SubmitRequest& r,
                            aifl::api::v1::SubmitResponse* response) {
  grpc::ClientContext ctx;
  return stub->Submit(&ctx, r, response).error_code();
}

TEST_F(ServerApiTest, RejectsBadBatchesAndAppendsNothing) {
  const uint64_t size = harness_->ledger().Size();
  aifl::api::v1::SubmitResponse response;
  aifl::api::v1::SubmitRequest empty;
  EXPECT_EQ(SubmitCode(ingest_.get(), empty, &response),
            grpc::StatusCode::INVALID_ARGUMENT);
  aifl::api::v1::SubmitRequest too_many;
  for (int i = 0; i < 1001; ++i) too_many.add_envelopes("x");
  EXPECT_EQ(SubmitCode(ingest_.get(), too_many, &response),
            grpc::StatusCode::INVALID_ARGUMENT);
  aifl::api::v1::SubmitRequest oversized;
  oversized.add_envelopes(std::string(3 << 20, 'x'));
  EXPECT_EQ(SubmitCode(ingest_.get(), oversized, &response),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Per-entry errors: malformed, bad signature, sequence gap, wrong role for
  // the payload type. The valid entry beside them is appended.
  std::string good = Sign("good");
  std::string tampered =
      collector_->SignAt(collector_->next_sequence(), kInterval, "t").value();
  tampered[tampered.size() - 1] ^= 1;
  std::string gap =
      collector_->SignAt(collector_->next_sequence() + 5, kInterval, "g")
          .value();
  std::string wrong_type = collector_
                               ->SignAt(collector_->next_sequence(),
                                        "aifl.provider.v1.ModelDeclaration", "")
                               .value();
  aifl::api::v1::SubmitRequest mixed;
  for (const auto& e :
       {std::string("not an envelope"), tampered, gap, wrong_type, good}) {
    mixed.add_envelopes(e);
  }
  ASSERT_EQ(SubmitCode(ingest_.get(), mixed, &response), grpc::StatusCode::OK);
  ASSERT_EQ(response.results_size(), 5);
  EXPECT_EQ(response.results(0).error().code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(response.results(1).error().code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(response.results(2).error().code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(response.results(3).error().code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(response.results(0).error().message().empty());
  // `good` was signed before the others, with the next sequence number.
  EXPECT_TRUE(response.results(4).has_receipt());
  EXPECT_EQ(harness_->ledger().Size(), size + 1);
}

// Issue 14 item 2: one node's report of negative or NaN FLOP used to be
// appended and folded into every model's compute. Now it is refused at
// ingest, naming the field; a plausible report beside it is appended.
TEST_F(ServerApiTest, RefusesReportsWithImpossibleNumbers) {
  const int64_t now_ms = absl::ToUnixMillis(harness_->fixture().clock().Now());
  aifl::collector::v1::IntervalReport report;
  report.set_run_id("c/1");
  report.set_model_id("m");
  report.set_start_unix_ms(now_ms - 60000);
  report.set_end_unix_ms(now_ms);
  report.mutable_flop()->set_lower(1e15);
  report.mutable_flop()->set_upper(2e15);
  const std::string type = "aifl.collector.v1.IntervalReport";
  std::string good =
      collector_->SignNext(type, report.SerializeAsString()).value();
  report.mutable_flop()->set_lower(-1);
  std::string negative = collector_
                             ->SignAt(collector_->next_sequence(), type,
                                      report.SerializeAsString())
                             .value();
  report.mutable_flop()->set_lower(std::nan(""));
  std::string nan = collector_
                        ->SignAt(collector_->next_sequence(), type,
                                 report.SerializeAsString())
                        .value();
  std::string garbage =
      collector_->SignAt(collector_->next_sequence(), type, "a").value();
  std::string unknown =
      collector_
          ->SignAt(collector_->next_sequence(), "aifl.collector.v1.Bogus", "")
          .value();
  const uint64_t before = harness_->ledger().Size();
  auto response = SubmitOk({good, negative, nan, garbage, unknown});
  ASSERT_EQ(response.results_size(), 5);
  EXPECT_TRUE(response.results(0).has_receipt());
  EXPECT_EQ(response.results(1).error().code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(response.results(1).error().message(),
            "payload field flop.lower: got -1, want >= 0");
  EXPECT_EQ(response.results(2).error().message(),
            "payload field flop.lower: got nan, want a finite number");
  EXPECT_EQ(response.results(3).error().code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(response.results(4).error().code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(harness_->ledger().Size(), before + 1);
}

// Issue 14 item 4: a caller flooding invalid signatures used to take the
// verification threads from honest callers; now it pays first.
TEST_F(ServerApiTest, CallerWhoseSignaturesKeepFailingIsRefusedEarly) {
  aifl::api::v1::SubmitRequest flood;
  for (int i = 0; i < 101; ++i) {
    std::string e = collector_
                        ->SignAt(collector_->next_sequence(), kInterval,
                                 absl::StrCat("forged ", i))
                        .value();
    e[e.size() - 1] ^= 1;
    flood.add_envelopes(e);
  }
  aifl::api::v1::SubmitResponse response;
  ASSERT_EQ(SubmitCode(ingest_.get(), flood, &response), grpc::StatusCode::OK);
  for (const auto& r : response.results()) {
    EXPECT_EQ(r.error().code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  aifl::api::v1::SubmitRequest honest_try;
  honest_try.add_envelopes(Sign("good"));
  EXPECT_EQ(SubmitCode(ingest_.get(), honest_try, &response),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  harness_->fixture().clock().Advance(absl::Seconds(1));
  ASSERT_EQ(SubmitCode(ingest_.get(), honest_try, &response),
            grpc::StatusCode::OK);
  EXPECT_TRUE(response.results(0).has_receipt());
}

TEST_F(ServerApiTest, RejectsBadAuditRequests) {
  SubmitOk({Sign("p")});
  ASSERT_TRUE(harness_->ledger().PublishCheckpoint().ok());
  const uint64_t size = harness_->ledger().Size();
  auto code = [](grpc::Status s) { return s.error_code(); };
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetEntriesRequest r;
    r.set_count(0);
    aifl::api::v1::GetEntriesResponse out;
    EXPECT_EQ(code(audit_->GetEntries(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetEntriesRequest r;
    r.set_count(1001);
    aifl::api::v1::GetEntriesResponse out;
    EXPECT_EQ(code(audit_->GetEntries(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetEntriesRequest r;
    r.set_start(size);
    r.set_count(1);
    aifl::api::v1::GetEntriesResponse out;
    EXPECT_EQ(code(audit_->GetEntries(&ctx, r, &out)),
              grpc::StatusCode::OUT_OF_RANGE);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetCheckpointRequest r;
    r.set_size(size + 7);
    aifl::api::v1::Checkpoint out;
    EXPECT_EQ(code(audit_->GetCheckpoint(&ctx, r, &out)),
              grpc::StatusCode::NOT_FOUND);
  }
  aifl::api::v1::InclusionProof proof;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;  // neither index nor hash
    EXPECT_EQ(code(audit_->GetInclusionProof(&ctx, r, &proof)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_hash("short");
    EXPECT_EQ(code(audit_->GetInclusionProof(&ctx, r, &proof)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_hash(std::string(32, 'h'));
    EXPECT_EQ(code(audit_->GetInclusionProof(&ctx, r, &proof)),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_index(size);
    EXPECT_EQ(code(audit_->GetInclusionProof(&ctx, r, &proof)),
              grpc::StatusCode::OUT_OF_RANGE);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_index(0);
    r.set_tree_size(size + 100);
    EXPECT_EQ(code(audit_->GetInclusionProof(&ctx, r, &proof)),
              grpc::StatusCode::OUT_OF_RANGE);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ConsistencyProofRequest r;  // from_size 0
    aifl::api::v1::ConsistencyProof out;
    EXPECT_EQ(code(audit_->GetConsistencyProof(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ListFindingsRequest r;
    r.set_unit(static_cast<aifl::rules::v1::Unit>(99));
    aifl::api::v1::ListFindingsResponse out;
    EXPECT_EQ(code(audit_->ListFindings(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ListFindingsRequest r;
    r.set_page_size(5000);
    aifl::api::v1::ListFindingsResponse out;
    EXPECT_EQ(code(audit_->ListFindings(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ListFindingsRequest r;
    r.set_page_token("garbage");
    aifl::api::v1::ListFindingsResponse out;
    EXPECT_EQ(code(audit_->ListFindings(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  // Issue 14 item 8: ListModels read any token as a model id.
  for (const char* token : {"garbage", "m6", "mZZ", "mAB"}) {
    grpc::ClientContext ctx;
    aifl::api::v1::ListModelsRequest r;
    r.set_page_token(token);
    aifl::api::v1::ListModelsResponse out;
    grpc::Status s = audit_->ListModels(&ctx, r, &out);
    EXPECT_EQ(code(s), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_NE(s.error_message().find("page_token"), std::string::npos);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetModelRequest r;
    aifl::api::v1::ModelDetail out;
    EXPECT_EQ(code(audit_->GetModel(&ctx, r, &out)),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::GetModelRequest r;
    r.set_model_id("no-such-model");
    aifl::api::v1::ModelDetail out;
    EXPECT_EQ(code(audit_->GetModel(&ctx, r, &out)),
              grpc::StatusCode::NOT_FOUND);
  }
}

// api/README.md, "Sizes and ranges": proofs are served against any tree
// size up to the current one, checkpointed or not.
TEST_F(ServerApiTest, ServesProofsAgainstSizesNeverCheckpointed) {
  // The harness publishes every 20 ms: a size inside one batch is rarely
  // checkpointed, and the server does not look either way.
  SubmitOk({Sign("p"), Sign("q"), Sign("r")});
  const uint64_t size = harness_->ledger().Size() - 1;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::InclusionProofRequest r;
    r.set_leaf_index(size - 1);
    r.set_tree_size(size);
    aifl::api::v1::InclusionProof out;
    ASSERT_TRUE(audit_->GetInclusionProof(&ctx, r, &out).ok());
    EXPECT_EQ(out.tree_size(), size);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ConsistencyProofRequest r;
    r.set_from_size(1);
    r.set_to_size(size);
    aifl::api::v1::ConsistencyProof out;
    ASSERT_TRUE(audit_->GetConsistencyProof(&ctx, r, &out).ok());
    EXPECT_EQ(out.to_size(), size);
  }
}

// Audit.ListCheckpoints pages through every published checkpoint.
TEST_F(ServerApiTest, ListsEveryPublishedCheckpointPageByPage) {
  for (const char* p : {"a", "b", "c"}) {
    SubmitOk({Sign(p)});
    ASSERT_TRUE(harness_->ledger().PublishCheckpoint().ok());
  }
  const auto list = [&](uint64_t after, uint32_t page,
                        aifl::api::v1::ListCheckpointsResponse* out) {
    grpc::ClientContext ctx;
    aifl::api::v1::ListCheckpointsRequest r;
    r.set_after_size(after);
    r.set_page_size(page);
    return audit_->ListCheckpoints(&ctx, r, out);
  };
  aifl::api::v1::ListCheckpointsResponse all;
  ASSERT_TRUE(list(0, 1000, &all).ok());
  ASSERT_GE(all.checkpoints_size(), 3);
  std::vector<uint64_t> paged;
  for (uint64_t after = 0;;) {
    aifl::api::v1::ListCheckpointsResponse page;
    ASSERT_TRUE(list(after, 1, &page).ok());
    if (page.checkpoints_size() == 0) break;
    ASSERT_EQ(page.checkpoints_size(), 1);
    after = page.checkpoints(0).size();
    paged.push_back(after);
  }
  ASSERT_EQ(paged.size(), static_cast<size_t>(all.checkpoints_size()));
  for (int i = 0; i < all.checkpoints_size(); ++i) {
    const aifl::api::v1::Checkpoint& c = all.checkpoints(i);
    EXPECT_EQ(c.size(), paged[i]);
    if (i > 0) {
      EXPECT_GT(c.size(), all.checkpoints(i - 1).size());
    }
    auto stored = harness_->ledger().CheckpointAt(c.size());
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(c.note(), *stored);
  }
  EXPECT_EQ(all.checkpoints(all.checkpoints_size() - 1).note(),
            *harness_->ledger().LatestCheckpoint());
  aifl::api::v1::ListCheckpointsResponse out;
  EXPECT_EQ(list(0, 1001, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(
      list(all.checkpoints(all.checkpoints_size() - 1).size(), 0, &out).ok());
  EXPECT_EQ(out.checkpoints_size(), 0);
}

TEST_F(ServerApiTest, RejectsBadReceiptAndKeyEventRequests) {
  const uint64_t size = harness_->ledger().Size();
  aifl::api::v1::ProofReceipt receipt;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ProofReceiptRequest r;
    EXPECT_EQ(ingest_->GetProofReceipt(&ctx, r, &receipt).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::ProofReceiptRequest r;
    r.add_leaf_indices(size + 10);
    EXPECT_EQ(ingest_->GetProofReceipt(&ctx, r, &receipt).error_code(),
              grpc::StatusCode::OUT_OF_RANGE);
  }
  aifl::api::v1::EntryResult result;
  {
    grpc::ClientContext ctx;
    aifl::api::v1::SubmitKeyEventRequest r;
    r.set_envelope("junk");
    EXPECT_EQ(admin_->SubmitKeyEvent(&ctx, r, &result).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext ctx;
    aifl::api::v1::SubmitKeyEventRequest r;
    r.set_envelope(Sign("not a key event"));
    EXPECT_EQ(admin_->SubmitKeyEvent(&ctx, r, &result).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    // A key event whose payload is not a KeyEvent message.
    grpc::ClientContext ctx;
    aifl::api::v1::SubmitKeyEventRequest r;
    r.set_envelope(harness_->fixture()
                       .admin()
                       .SignAt(harness_->fixture().admin().next_sequence(),
                               ledger::kKeyEventType, "\xff\xff")
                       .value());
    EXPECT_EQ(admin_->SubmitKeyEvent(&ctx, r, &result).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(harness_->ledger().Size(), size);
}

}  // namespace
}  // namespace tests::server
