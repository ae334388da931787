#include "tests/client/fake_ledger_server.h"

#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "api/server/key_record.h"
#include "api/server/log_keys_response.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "common/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/proof_plan.h"
#include "ledger/note/checkpoint.h"

namespace client_test {
namespace {

namespace v1 = ::aifl::api::v1;
using ledger::CheckpointFields;
using ledger::merkle::Hash;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

grpc::Status ToGrpc(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void Flip(std::vector<Hash>& hashes) {
  if (!hashes.empty()) hashes[0][0] ^= 0x01;
}

void AddHashes(const std::vector<Hash>& hashes,
               google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const Hash& h : hashes) out->Add(std::string(h.begin(), h.end()));
}

absl::StatusOr<std::vector<Hash>> ProofFromTree(
    ledger::merkle::InMemoryTree& tree,
    absl::StatusOr<ledger::merkle::ProofPlan> plan) {
  if (!plan.ok()) return plan.status();
  ASSIGN_OR_RETURN(std::vector<Hash> nodes, tree.ReadNodes(plan->node_ids()));
  return plan->Rehash(nodes);
}

}  // namespace

struct FakeLedgerServer::State {
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture;
  std::unique_ptr<ledger::EntrySigner> collector;
  std::unique_ptr<ledger::note::NoteSigner> log_signer;    // the real key
  std::unique_ptr<ledger::note::NoteSigner> other_signer;  // same name
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::unique_ptr<grpc::Server> server;
  int port = 0;

  absl::Mutex mu;
  Misbehaviour mode ABSL_GUARDED_BY(mu) = Misbehaviour::kNone;
  std::string rollback_note ABSL_GUARDED_BY(mu);
  std::function<std::string(const std::string&)> cosign ABSL_GUARDED_BY(mu);
  std::vector<std::string> fork_leaves ABSL_GUARDED_BY(mu);
  ledger::merkle::InMemoryTree fork_tree ABSL_GUARDED_BY(mu);

  ledger::Ledger& ledger() { return fixture->ledger(); }

  Misbehaviour Mode() {
    absl::MutexLock lock(&mu);
    return mode;
  }

  // The note served for `size` (0 = latest) in the current mode, with the
  // cosignatures set_cosign adds (asked for outside the lock).
  absl::StatusOr<std::string> CheckpointNote(uint64_t size) {
    ASSIGN_OR_RETURN(std::string note, SignedNote(size));
    std::function<std::string(const std::string&)> add;
    {
      absl::MutexLock lock(&mu);
      add = cosign;
    }
    return add == nullptr ? note : add(note);
  }

  absl::StatusOr<std::string> SignedNote(uint64_t size) {
    absl::MutexLock lock(&mu);
    switch (mode) {
      case Misbehaviour::kForkedTree: {
        const uint64_t n = size == 0 ? fork_tree.size() : size;
        ASSIGN_OR_RETURN(Hash root, fork_tree.Root(n));
        return ledger::SignCheckpoint({ledger().origin(), n, root},
                                      *log_signer);
      }
      case Misbehaviour::kRollback:
        if (size == 0) return rollback_note;
        break;
      case Misbehaviour::kWrongSignature:
      case Misbehaviour::kForgedRotation:
      case Misbehaviour::kRotationNotIncluded: {
        ASSIGN_OR_RETURN(std::string note, HonestNote(size));
        ASSIGN_OR_RETURN(CheckpointFields fields, Parse(note));
        return ledger::SignCheckpoint(fields, *other_signer);
      }
      default:
        break;
    }
    return HonestNote(size);
  }

  absl::StatusOr<std::string> HonestNote(uint64_t size) {
    return size == 0 ? ledger().LatestCheckpoint()
                     : ledger().CheckpointAt(size);
  }

  absl::StatusOr<CheckpointFields> Parse(const std::string& note) {
    return ledger().VerifyCheckpointNote(note);
  }

  // The GetLogKeys answer in the current mode.
  absl::StatusOr<v1::GetLogKeysResponse> LogKeys() {
    ASSIGN_OR_RETURN(v1::GetLogKeysResponse response,
                     api::server::LogKeysResponse(ledger()));
    const Misbehaviour m = Mode();
    if (m != Misbehaviour::kForgedRotation &&
        m != Misbehaviour::kRotationNotIncluded) {
      return response;
    }
    // Claim a rotation to other_signer's key, announced at the last leaf,
    // with the latest tree as its handover.
    ASSIGN_OR_RETURN(std::string honest, ledger().LatestCheckpoint());
    ASSIGN_OR_RETURN(CheckpointFields fields, Parse(honest));
    const uint64_t leaf_index = fields.size - 1;
    const std::string text = ledger::note::FormatCheckpointBody(
        {fields.origin, fields.size, fields.root});
    v1::LogKeyRecord* record = response.add_log_keys();
    record->set_announced_at_leaf(leaf_index);
    record->set_public_key(std::string(other_signer->public_key().bytes()));
    record->set_verifier_key(other_signer->VerifierKey());
    record->set_first_checkpoint_size(fields.size);
    ASSIGN_OR_RETURN(std::string leaf, ledger().GetLeaf(leaf_index));
    if (m == Misbehaviour::kForgedRotation) {
      ASSIGN_OR_RETURN(std::string note, other_signer->Sign(text));
      record->set_first_checkpoint_note(note);
    } else {
      ASSIGN_OR_RETURN(std::string note, log_signer->Sign(text));
      ASSIGN_OR_RETURN(std::string line, other_signer->SignatureLine(text));
      record->set_first_checkpoint_note(note + line);
      // A genuine-looking LogKey entry that is not in the tree.
      aifl::ledger::v1::KeyEvent event;
      event.mutable_log_key()->set_public_key(
          std::string(other_signer->public_key().bytes()));
      event.mutable_log_key()->set_origin(fields.origin);
      ASSIGN_OR_RETURN(std::string envelope,
                       fixture->admin().SignAt(99, ledger::kKeyEventType,
                                               event.SerializeAsString()));
      leaf = ledger::entry::EncodeLeaf(1'780'000'000'000'000, envelope);
    }
    record->set_leaf(leaf);
    ASSIGN_OR_RETURN(std::vector<Hash> proof,
                     ledger().InclusionProof(leaf_index, fields.size));
    AddHashes(proof, record->mutable_inclusion_proof());
    return response;
  }

  // The size of the latest checkpoint served in the current mode.
  absl::StatusOr<uint64_t> LatestSize() {
    if (Mode() == Misbehaviour::kForkedTree) {
      absl::MutexLock lock(&mu);
      return fork_tree.size();
    }
    std::string note;
    {
      absl::MutexLock lock(&mu);
      note = mode == Misbehaviour::kRollback ? rollback_note : "";
    }
    if (note.empty()) {
      ASSIGN_OR_RETURN(note, ledger().LatestCheckpoint());
    }
    ASSIGN_OR_RETURN(CheckpointFields fields, Parse(note));
    return fields.size;
  }

  absl::StatusOr<std::vector<Hash>> Inclusion(uint64_t index, uint64_t size) {
    const Misbehaviour m = Mode();
    std::vector<Hash> proof;
    if (m == Misbehaviour::kForkedTree) {
      absl::MutexLock lock(&mu);
      ASSIGN_OR_RETURN(
          proof,
          ProofFromTree(fork_tree, ledger::merkle::InclusionPlan(index, size)));
    } else {
      ASSIGN_OR_RETURN(proof, ledger().InclusionProof(index, size));
    }
    if (m == Misbehaviour::kBadInclusionProof) Flip(proof);
    return proof;
  }

  absl::StatusOr<std::vector<Hash>> Consistency(uint64_t from, uint64_t to) {
    const Misbehaviour m = Mode();
    std::vector<Hash> proof;
    if (m == Misbehaviour::kForkedTree) {
      absl::MutexLock lock(&mu);
      ASSIGN_OR_RETURN(
          proof,
          ProofFromTree(fork_tree, ledger::merkle::ConsistencyPlan(from, to)));
    } else {
      ASSIGN_OR_RETURN(proof, ledger().ConsistencyProof(from, to));
    }
    if (m == Misbehaviour::kBadConsistencyProof) Flip(proof);
    return proof;
  }

  absl::StatusOr<std::vector<std::string>> Leaves(uint64_t start,
                                                  uint64_t count) {
    const Misbehaviour m = Mode();
    std::vector<std::string> leaves;
    if (m == Misbehaviour::kForkedTree) {
      absl::MutexLock lock(&mu);
      for (uint64_t i = start; i < start + count && i < fork_leaves.size(); ++i)
        leaves.push_back(fork_leaves[i]);
    } else {
      const uint64_t size = ledger().Size();
      if (start >= size) return absl::OutOfRangeError("start beyond the tree");
      ASSIGN_OR_RETURN(
          leaves, ledger().GetLeaves(start, std::min(count, size - start)));
    }
    if (m == Misbehaviour::kTamperedLeaf) {
      for (std::string& leaf : leaves) leaf.back() ^= 0x01;
    }
    return leaves;
  }
};

namespace {

class IngestImpl final : public v1::Ingest::Service {
 public:
  explicit IngestImpl(FakeLedgerServer::State* s) : s_(s) {}

  grpc::Status Submit(grpc::ServerContext*, const v1::SubmitRequest* request,
                      v1::SubmitResponse* response) override {
    std::vector<std::string> envelopes(request->envelopes().begin(),
                                       request->envelopes().end());
    for (const ledger::AppendResult& r : s_->ledger().Append(envelopes)) {
      v1::EntryResult* out = response->add_results();
      if (r.status.ok()) {
        out->mutable_receipt()->set_leaf_index(r.leaf_index);
        out->mutable_receipt()->set_integration_time_unix_micros(
            r.integration_time_micros);
        out->mutable_receipt()->set_duplicate(r.duplicate);
      } else {
        out->mutable_error()->set_code(static_cast<int>(r.status.code()));
        out->mutable_error()->set_message(std::string(r.status.message()));
      }
    }
    return ToGrpc(s_->ledger().PublishCheckpoint().status());
  }

  grpc::Status GetProofReceipt(grpc::ServerContext*,
                               const v1::ProofReceiptRequest* request,
                               v1::ProofReceipt* response) override {
    absl::StatusOr<std::string> note = s_->CheckpointNote(0);
    if (!note.ok()) return ToGrpc(note.status());
    absl::StatusOr<uint64_t> size = s_->LatestSize();
    if (!size.ok()) return ToGrpc(size.status());
    response->set_checkpoint(*note);
    for (uint64_t index : request->leaf_indices()) {
      if (index >= *size) {
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "checkpoint does not cover the leaf yet");
      }
      absl::StatusOr<std::vector<Hash>> proof = s_->Inclusion(index, *size);
      if (!proof.ok()) return ToGrpc(proof.status());
      v1::InclusionProof* out = response->add_proofs();
      out->set_leaf_index(index);
      out->set_tree_size(*size);
      AddHashes(*proof, out->mutable_hashes());
    }
    return grpc::Status::OK;
  }

  grpc::Status GetOwnKeyState(grpc::ServerContext*,
                              const v1::GetOwnKeyStateRequest* request,
                              v1::GetOwnKeyStateResponse* response) override {
    if (s_->Mode() == Misbehaviour::kAnotherKeyState) {
      api::server::FillKeyRecord(
          *s_->ledger().FindKey(s_->fixture->admin().key_id()),
          response->add_keys());
      return grpc::Status::OK;
    }
    for (const std::string& bytes : request->key_ids()) {
      std::array<uint8_t, ledger::crypto::kKeyIdSize> id{};
      if (bytes.size() != id.size()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "key id size");
      }
      std::copy(bytes.begin(), bytes.end(), id.begin());
      std::optional<ledger::KeyInfo> key =
          s_->ledger().FindKey(ledger::crypto::KeyId(id));
      if (key.has_value())
        api::server::FillKeyRecord(*key, response->add_keys());
    }
    return grpc::Status::OK;
  }

 private:
  FakeLedgerServer::State* s_;
};

class AuditImpl final : public v1::Audit::Service {
 public:
  explicit AuditImpl(FakeLedgerServer::State* s) : s_(s) {}

  grpc::Status GetCheckpoint(grpc::ServerContext*,
                             const v1::GetCheckpointRequest* request,
                             v1::Checkpoint* response) override {
    absl::StatusOr<std::string> note = s_->CheckpointNote(request->size());
    if (!note.ok()) return ToGrpc(note.status());
    response->set_note(*note);
    return grpc::Status::OK;
  }

  grpc::Status GetEntries(grpc::ServerContext*,
                          const v1::GetEntriesRequest* request,
                          v1::GetEntriesResponse* response) override {
    absl::StatusOr<std::vector<std::string>> leaves =
        s_->Leaves(request->start(), request->count());
    if (!leaves.ok()) return ToGrpc(leaves.status());
    for (std::string& leaf : *leaves) response->add_leaves(std::move(leaf));
    return grpc::Status::OK;
  }

  grpc::Status GetInclusionProof(grpc::ServerContext*,
                                 const v1::InclusionProofRequest* request,
                                 v1::InclusionProof* response) override {
    uint64_t size = request->tree_size();
    if (size == 0) {
      absl::StatusOr<uint64_t> latest = s_->LatestSize();
      if (!latest.ok()) return ToGrpc(latest.status());
      size = *latest;
    }
    uint64_t index = request->leaf_index();
    if (request->has_leaf_hash()) {
      Hash hash{};
      if (request->leaf_hash().size() != hash.size()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "leaf_hash");
      }
      std::copy(request->leaf_hash().begin(), request->leaf_hash().end(),
                hash.begin());
      absl::StatusOr<uint64_t> found = s_->ledger().FindLeafByHash(hash);
      if (!found.ok()) return ToGrpc(found.status());
      index = *found;
    }
    absl::StatusOr<std::vector<Hash>> proof = s_->Inclusion(index, size);
    if (!proof.ok()) return ToGrpc(proof.status());
    response->set_leaf_index(index);
    response->set_tree_size(size);
    AddHashes(*proof, response->mutable_hashes());
    return grpc::Status::OK;
  }

  grpc::Status GetLogKeys(grpc::ServerContext*, const v1::GetLogKeysRequest*,
                          v1::GetLogKeysResponse* response) override {
    absl::StatusOr<v1::GetLogKeysResponse> log_keys = s_->LogKeys();
    if (!log_keys.ok()) return ToGrpc(log_keys.status());
    *response = *std::move(log_keys);
    return grpc::Status::OK;
  }

  grpc::Status GetConsistencyProof(grpc::ServerContext*,
                                   const v1::ConsistencyProofRequest* request,
                                   v1::ConsistencyProof* response) override {
    absl::StatusOr<std::vector<Hash>> proof =
        s_->Consistency(request->from_size(), request->to_size());
    if (!proof.ok()) return ToGrpc(proof.status());
    response->set_from_size(request->from_size());
    response->set_to_size(request->to_size());
    AddHashes(*proof, response->mutable_hashes());
    return grpc::Status::OK;
  }

 private:
  FakeLedgerServer::State* s_;
};

class AdminImpl final : public v1::Admin::Service {
 public:
  explicit AdminImpl(FakeLedgerServer::State* s) : s_(s) {}

  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::ServerStatus* response) override {
    response->set_origin(s_->ledger().origin());
    response->set_verifier_key(s_->ledger().VerifierKey());
    response->set_tree_size(s_->ledger().Size());
    return grpc::Status::OK;
  }

 private:
  FakeLedgerServer::State* s_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FakeLedgerServer>> FakeLedgerServer::Start() {
  auto server = std::unique_ptr<FakeLedgerServer>(new FakeLedgerServer());
  server->state_ = std::make_unique<State>();
  State& s = *server->state_;
  ASSIGN_OR_RETURN(s.fixture, ledger::testonly::LedgerFixture::Create());
  ASSIGN_OR_RETURN(s.collector,
                   s.fixture->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  RETURN_IF_ERROR(s.ledger().PublishCheckpoint().status());
  const std::string origin = s.ledger().origin();
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> log_key,
                   ledger::crypto::ReadSecretKeyFile(
                       ledger::DefaultLogKeyPath(s.fixture->dir())));
  ASSIGN_OR_RETURN(s.log_signer, ledger::note::NoteSigner::Create(
                                     origin, std::move(log_key)));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> other_key,
                   ledger::crypto::SigningKey::Generate());
  ASSIGN_OR_RETURN(s.other_signer, ledger::note::NoteSigner::Create(
                                       origin, std::move(other_key)));

  s.services.push_back(std::make_unique<IngestImpl>(&s));
  s.services.push_back(std::make_unique<AuditImpl>(&s));
  s.services.push_back(std::make_unique<AdminImpl>(&s));
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &s.port);
  for (auto& service : s.services) builder.RegisterService(service.get());
  s.server = builder.BuildAndStart();
  if (s.server == nullptr || s.port == 0) {
    return absl::UnavailableError("fake ledger server did not start");
  }
  return server;
}

FakeLedgerServer::~FakeLedgerServer() {
  if (state_ != nullptr && state_->server != nullptr) {
    state_->server->Shutdown();
  }
}

std::shared_ptr<grpc::Channel> FakeLedgerServer::NewChannel() const {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(state_->port),
                             grpc::InsecureChannelCredentials());
}

std::string FakeLedgerServer::verifier_key() const {
  return state_->ledger().VerifierKey();
}

ledger::testonly::LedgerFixture& FakeLedgerServer::fixture() {
  return *state_->fixture;
}

ledger::EntrySigner& FakeLedgerServer::collector() {
  return *state_->collector;
}

std::string FakeLedgerServer::SignEnvelope(const std::string& payload) {
  absl::StatusOr<std::string> envelope =
      state_->collector->SignNext(kInterval, payload);
  return envelope.ok() ? *envelope : "";  // the ledger refuses "" loudly
}

absl::Status FakeLedgerServer::AppendAndPublish(int n) {
  for (int i = 0; i < n; ++i) {
    RETURN_IF_ERROR(
        state_->fixture
            ->AppendOne(SignEnvelope("appended " + std::to_string(i)))
            .status());
  }
  return state_->ledger().PublishCheckpoint().status();
}

void FakeLedgerServer::set_misbehaviour(Misbehaviour misbehaviour) {
  absl::MutexLock lock(&state_->mu);
  state_->mode = misbehaviour;
}

void FakeLedgerServer::set_cosign(
    std::function<std::string(const std::string& note)> cosign) {
  absl::MutexLock lock(&state_->mu);
  state_->cosign = std::move(cosign);
}

void FakeLedgerServer::set_rollback_note(std::string note) {
  absl::MutexLock lock(&state_->mu);
  state_->rollback_note = std::move(note);
}

absl::Status FakeLedgerServer::BuildFork(uint64_t shared, uint64_t extra) {
  absl::MutexLock lock(&state_->mu);
  state_->fork_leaves.clear();
  state_->fork_tree = ledger::merkle::InMemoryTree();
  for (uint64_t i = 0; i < shared; ++i) {
    ASSIGN_OR_RETURN(std::string leaf, state_->ledger().GetLeaf(i));
    state_->fork_leaves.push_back(std::move(leaf));
  }
  for (uint64_t i = 0; i < extra; ++i) {
    state_->fork_leaves.push_back(ledger::entry::EncodeLeaf(
        1'780'000'000'000'000 + i, "forked entry " + std::to_string(i)));
  }
  for (const std::string& leaf : state_->fork_leaves) {
    state_->fork_tree.Append(ledger::merkle::HashLeaf(leaf));
  }
  return absl::OkStatus();
}

}  // namespace client_test
