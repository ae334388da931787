// LedgerClient: the verifying client of one ledger's gRPC services, used by
// ledgerctl, the collector and the tests.
//
// It trusts nothing the server says without checking it: every checkpoint's
// signature against the log's verifier key, every inclusion proof against a
// verified checkpoint root (with a leaf hash the client computes itself), and
// every new checkpoint against the last one it trusted (consistency proof for
// a larger size, equal root for the same size, refusal for a smaller one).
// The last trusted checkpoint is kept in memory and, when a store folder is
// given, on disk (TrustedCheckpointStore), so a restarted client still
// detects a server that rolled back or forked history. The first checkpoint
// ever seen is trusted on first use unless the store already holds one.
//
// Log-key rotation: the client trusts one log key at a time, starting with
// the configured verifier key. When a checkpoint is not signed by it, the
// client asks Audit.GetLogKeys for the key announced after it and accepts it
// only when the rotation verifies (rotation_verifier.h) and the handover
// checkpoint is consistent with the trusted one; the new key is then stored
// with the trusted checkpoint. Otherwise kDataLoss (a key the server never
// announced, or a forged rotation) and the trusted state is unchanged.
//
// Errors:
//   - What the server did wrong (bad signature, proof, fork, rollback, an
//     answer that does not fit the request): kDataLoss with a message naming
//     it, e.g. "server rolled back from size 12 to 10".
//   - gRPC failures: the gRPC code, message prefixed by the method
//     ("Audit.GetCheckpoint: ...").
//   - Trusted store I/O: kUnavailable / kDataLoss from the store.
//
// Thread-safe. Checks against the trusted checkpoint are serialized.
#ifndef API_CLIENT_LEDGER_CLIENT_H_
#define API_CLIENT_LEDGER_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "api/client/log_reader.h"
#include "api/client/log_verifier.h"
#include "api/client/rpc_status.h"
#include "api/client/trusted_checkpoint_store.h"
#include "api/client/witness_quorum_check.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace api::client {

struct LedgerClientOptions {
  // Folder of the trusted-checkpoint store; "" keeps trust in memory only.
  // Default: "".
  std::string trusted_store_dir;
  // Deadline of each call. Default: 30 s.
  absl::Duration rpc_timeout = absl::Seconds(30);
  // Deadline of GetProofReceipt with wait = true. Default: 40 s (the server
  // waits at most 30 s).
  absl::Duration wait_timeout = absl::Seconds(40);
  // A tlog-policy (witness_quorum_check.h): when set, a checkpoint is
  // accepted only when the policy's quorum cosigned it, or when it is (a
  // prefix of) the trusted checkpoint and that one's note meets the quorum.
  // Proof receipts (and so ConfirmIncluded, the collector's durability
  // check) go through the same check. Default: null (no witnesses needed).
  std::shared_ptr<const WitnessPolicy> witness_policy;
};

// An entry the caller submitted and the durable receipt the server gave it.
struct SubmittedEntry {
  std::string envelope;  // the exact envelope bytes sent
  aifl::api::v1::DurableReceipt receipt;
};

struct VerifiedEntries {
  VerifiedCheckpoint checkpoint;
  std::vector<VerifiedLeaf> leaves;
};

class LedgerClient {
 public:
  // `verifier_key` is the log's note verifier key
  // "<origin>+<hex key id>+<base64 key>". Loads and re-verifies the trusted
  // checkpoint from the store, if any. Does not contact the server.
  // kInvalidArgument for a bad key or a null channel; kDataLoss when the
  // stored checkpoint does not verify under the key.
  static absl::StatusOr<std::unique_ptr<LedgerClient>> Create(
      std::shared_ptr<grpc::Channel> channel, absl::string_view verifier_key,
      LedgerClientOptions options = {});

  // ---- Ingest

  // Submits envelopes (≤ 1000) in one call. On success, one result per
  // envelope, in order: its durable receipt, or why it was refused (the
  // server's code and message).
  absl::StatusOr<std::vector<absl::StatusOr<aifl::api::v1::DurableReceipt>>>
  Submit(absl::Span<const std::string> envelopes);

  // Fetches the proof receipt for `leaf_indices` and verifies its checkpoint
  // (signature, consistency with the trusted checkpoint, which it then
  // advances) and its shape (one proof per index, in order, at the
  // checkpoint's size). Inclusion needs the leaves: see VerifyReceipt.
  // `wait`: let the server wait until a checkpoint covers every index.
  absl::StatusOr<aifl::api::v1::ProofReceipt> GetProofReceipt(
      absl::Span<const uint64_t> leaf_indices, bool wait);

  // Verifies, without the server, that `envelope`, integrated at the time
  // and index of `receipt`, is in the tree of `proof_receipt`'s checkpoint:
  // the leaf bytes are rebuilt (EncodeLeaf) and hashed here. kDataLoss
  // naming the failure; kNotFound when proof_receipt has no proof for the
  // index. Only a receipt from GetProofReceipt was checked against history.
  absl::Status VerifyReceipt(
      absl::string_view envelope, const aifl::api::v1::DurableReceipt& receipt,
      const aifl::api::v1::ProofReceipt& proof_receipt) const;

  // The state of one of the caller's own signing keys, as
  // Ingest.GetOwnKeyState reports it: role, enrolment, revocation and the
  // sequence number its next entry must carry. Any submitting TLS role may
  // ask (Admin.ListKeys is for admins, the office and auditors).
  // `key_id_bytes`: the 16-byte key id. kNotFound when the server does not
  // report it (not enrolled, or not bound to this client's TLS identity and
  // role); kDataLoss when it answers with another key.
  absl::StatusOr<aifl::api::v1::KeyRecord> OwnKeyState(
      absl::string_view key_id_bytes);

  // GetProofReceipt + VerifyReceipt for every entry: OK means each entry is
  // provably in a checkpoint this client trusts, so its local copy (a
  // collector's spool) may be deleted.
  absl::Status ConfirmIncluded(absl::Span<const SubmittedEntry> entries,
                               bool wait);

  // ---- Audit

  // The server's latest checkpoint, verified and reconciled with the trusted
  // one (kDataLoss "server rolled back from size X to Y" when smaller;
  // "server forked: ..." when it contradicts it), then trusted. With a
  // witness policy, kFailedPrecondition naming the missing witnesses when
  // the quorum did not cosign it (nothing is trusted then).
  absl::StatusOr<VerifiedCheckpoint> LatestCheckpoint();

  // The checkpoint published at exactly `size` (> 0), verified and shown
  // consistent with the trusted checkpoint (either direction).
  absl::StatusOr<VerifiedCheckpoint> CheckpointAt(uint64_t size);

  // Leaves [start, start + n) as the server sends them, n ≤ count (≤ 1000).
  // NOT verified: prefer GetVerifiedEntries.
  absl::StatusOr<std::vector<std::string>> GetEntries(uint64_t start,
                                                      uint32_t count);

  // Leaves from `start` (at most `count`, and only those the latest
  // checkpoint covers), each with its inclusion proof verified against the
  // latest checkpoint. kOutOfRange when start ≥ that checkpoint's size.
  absl::StatusOr<VerifiedEntries> GetVerifiedEntries(uint64_t start,
                                                     uint32_t count);

  // The leaf at `index`, proven in the latest checkpoint.
  absl::StatusOr<VerifiedLeaf> InclusionProofByIndex(uint64_t index);

  // The index of the leaf with RFC 6962 hash `leaf_hash`, proven in the
  // latest checkpoint. kNotFound (from the server) when absent.
  absl::StatusOr<uint64_t> InclusionProofByHash(
      const ledger::merkle::Hash& leaf_hash);

  // Leaves from `start` (at most `count`, ≤ 1000), each with its inclusion
  // proof in `at`'s tree verified. kOutOfRange when start ≥ at's size.
  absl::StatusOr<std::vector<VerifiedLeaf>> ReadLeaves(
      const VerifiedCheckpoint& at, uint64_t start, uint32_t count);

  // Leaf `index` and its inclusion proof in `at`'s tree, verified here (the
  // leaf hash is computed by the client): callers use the returned hashes
  // without re-checking them. kOutOfRange when index ≥ at's size.
  absl::StatusOr<ProvenLeaf> ProveLeaf(const VerifiedCheckpoint& at,
                                       uint64_t index);

  // The index of the leaf with RFC 6962 hash `leaf_hash` in `at`'s tree,
  // its inclusion proof verified. kNotFound (from the server) when absent.
  absl::StatusOr<uint64_t> FindLeaf(const ledger::merkle::Hash& leaf_hash,
                                    const VerifiedCheckpoint& at);

  // The consistency proof from `older` to `newer` (both verified
  // checkpoints of this log), verified: empty when the sizes are equal and
  // so are the roots. kInvalidArgument when older is larger; kDataLoss when
  // the proof does not verify.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const VerifiedCheckpoint& older, const VerifiedCheckpoint& newer);

  // Proves that the checkpoint at `from_size` is a prefix of the one at
  // `to_size` (0 = the latest). Both checkpoints are fetched, verified and
  // reconciled with the trusted one. Returns the newer checkpoint.
  // kInvalidArgument when from_size > to_size.
  absl::StatusOr<VerifiedCheckpoint> ConsistencyProof(uint64_t from_size,
                                                      uint64_t to_size);

  absl::StatusOr<aifl::api::v1::ListFindingsResponse> ListFindings(
      const aifl::api::v1::ListFindingsRequest& request);

  // ---- Admin

  // Every enrolled key (admin, office, auditor and local callers only;
  // submitters use OwnKeyState).
  absl::StatusOr<aifl::api::v1::ListKeysResponse> ListKeys();
  // The server's log-key history as it reports it, NOT verified: a rotation
  // is verified when a checkpoint signed by a later key arrives.
  absl::StatusOr<aifl::api::v1::GetLogKeysResponse> GetLogKeys();
  // The server's status. kDataLoss when it reports another verifier key.
  absl::StatusOr<aifl::api::v1::ServerStatus> GetStatus();

  // ---- Local state

  // The verifier of the log key trusted now: the configured one, or the key
  // a verified rotation moved trust to.
  LogVerifier verifier() const;
  // The verifier key the client was created with.
  const LogVerifier& configured_verifier() const { return verifier_; }
  // The last trusted checkpoint; std::nullopt before the first.
  std::optional<VerifiedCheckpoint> trusted() const;

 private:
  LedgerClient(std::shared_ptr<grpc::Channel> channel, LogVerifier verifier,
               LedgerClientOptions options);

  // Verifies `note` and reconciles it with the trusted checkpoint. `latest`:
  // the server claims this is its latest (a smaller size is a rollback);
  // otherwise a smaller size must be a prefix of the trusted tree.
  // `want_size` (0: any) is the size that was asked for.
  // `trusted_size_when_asked`: the trusted size when the request was sent;
  // a "latest" answer is a rollback only when older than that (concurrent
  // calls may legitimately answer out of order).
  absl::StatusOr<VerifiedCheckpoint> Accept(absl::string_view note, bool latest,
                                            uint64_t want_size,
                                            uint64_t trusted_size_when_asked);
  uint64_t TrustedSize() const;
  // Fetches and checks the consistency proof between two verified trees;
  // returns its hashes.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> CheckConsistency(
      const ledger::CheckpointFields& older,
      const ledger::CheckpointFields& newer);
  absl::StatusOr<VerifiedCheckpoint> FetchCheckpoint(uint64_t size,
                                                     bool latest);
  absl::Status Trust(const VerifiedCheckpoint& checkpoint)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(trust_mu_);
  // OK when there is no witness policy or `note` meets its quorum
  // (CheckWitnessQuorum under the trusted log key); its error otherwise.
  absl::Status Witnessed(absl::string_view note) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(trust_mu_);
  // Whether a checkpoint of at most the trusted size, shown consistent with
  // it, may be accepted without cosignatures of its own: OK when its own
  // `status` is, or when the trusted note meets the quorum.
  absl::Status WitnessedOrTrustedWitnessed(const absl::Status& status) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(trust_mu_);
  // Verifies `note` with the trusted key; when it is signed by another key,
  // follows the log-key rotations the server proves (at most a few) first.
  absl::StatusOr<VerifiedCheckpoint> VerifyFollowingRotations(
      absl::string_view note);
  // Moves trust to the log key announced after the trusted one, when the
  // server proves the rotation; `why` is the verification failure that
  // prompted it. kDataLoss otherwise.
  absl::Status FollowRotation(const absl::Status& why)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(trust_mu_);
  // Fetches the inclusion proof of `leaf` at `index` in `checkpoint`'s tree
  // and verifies it; returns its hashes.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveInclusion(
      const VerifiedCheckpoint& checkpoint, uint64_t index,
      absl::string_view leaf);
  void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) const;
  // One unary call with the default deadline; errors as FromGrpcStatus with
  // `name` ("Service.Method") as the prefix.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> UnaryCall(
      absl::string_view name, Stub* stub,
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                   Response*),
      const Request& request) const {
    Response response;
    grpc::ClientContext context;
    SetDeadline(context, options_.rpc_timeout);
    absl::Status status =
        FromGrpcStatus(name, (stub->*method)(&context, request, &response));
    if (!status.ok()) return status;
    return response;
  }
  // The proof hashes of a response, each checked to be 32 bytes.
  static absl::StatusOr<std::vector<ledger::merkle::Hash>> Hashes(
      const google::protobuf::RepeatedPtrField<std::string>& hashes);

  std::unique_ptr<aifl::api::v1::Ingest::Stub> ingest_;
  std::unique_ptr<aifl::api::v1::Audit::Stub> audit_;
  std::unique_ptr<aifl::api::v1::Admin::Stub> admin_;
  // The configured verifier: the log's origin, and proofs (which need no
  // key). Signatures are checked with current_verifier_.
  const LogVerifier verifier_;
  const LedgerClientOptions options_;

  mutable absl::Mutex trust_mu_;
  std::unique_ptr<TrustedCheckpointStore> store_ ABSL_GUARDED_BY(trust_mu_);
  std::optional<VerifiedCheckpoint> trusted_ ABSL_GUARDED_BY(trust_mu_);
  LogVerifier current_verifier_ ABSL_GUARDED_BY(trust_mu_);
};

}  // namespace api::client

#endif  // API_CLIENT_LEDGER_CLIENT_H_
