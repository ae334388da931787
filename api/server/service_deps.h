// What the three gRPC services share: the ledger, the checkpoint publisher,
// the model view and the transport mode, plus the steps every handler starts
// with (who is calling, may they call this). Thread-safe.
#ifndef API_SERVER_SERVICE_DEPS_H_
#define API_SERVER_SERVICE_DEPS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "api/server/access_policy.h"
#include "api/server/caller.h"
#include "api/server/checkpoint_publisher.h"
#include "api/server/model_view.h"
#include "api/server/revocation_list.h"
#include "api/server/server_metrics.h"
#include "api/server/witness_collector.h"
#include "common/clock.h"
#include "grpcpp/server_context.h"
#include "ledger/ledger.h"

namespace api::index {
class IndexHost;
}  // namespace api::index

namespace api::server {

// Request bounds (also documented in ledger_service.proto).
inline constexpr int kMaxBatch = 1000;      // envelopes, indices
inline constexpr uint32_t kMaxPage = 1000;  // entries, models, findings
inline constexpr uint32_t kDefaultPage = 100;
// GetEntries returns fewer leaves than asked rather than more leaf bytes.
inline constexpr size_t kMaxResponseLeafBytes = 3 << 20;

// None owned; all outlive the services.
struct ServiceDeps {
  ledger::Ledger* ledger = nullptr;
  CheckpointPublisher* publisher = nullptr;
  ModelView* models = nullptr;
  common::Clock* clock = nullptr;
  bool insecure_loopback = false;
  // --tls_crl; null: no certificate is revoked.
  const RevocationList* revocations = nullptr;
  // Counters the handlers bump; never null once LedgerServer built the
  // services.
  ServerMetrics* metrics = nullptr;
  // --witness_policy: gathers cosignatures; null without a policy.
  const WitnessCollector* witnesses = nullptr;
  // Proof receipts only on a checkpoint the policy's quorum cosigned.
  bool wait_for_quorum = false;
  // --index_dir: the hosted per-model index; null without one.
  api::index::IndexHost* index = nullptr;
  // The witnesses of its output log; null without an index or a policy.
  const WitnessCollector* index_witnesses = nullptr;
};

// The caller of `ctx`, when it may call `method`: kUnauthenticated or
// kPermissionDenied otherwise.
absl::StatusOr<Caller> Authorize(grpc::CallbackServerContext* ctx,
                                 const ServiceDeps& deps, Method method);

// Logs a refused call or entry through RefusalLog::Default() (rate-limited
// per identity and code). `caller` is null when the refusal happened before
// the caller was identified (then the peer address is the identity).
void LogRefusal(const grpc::ServerContextBase* ctx, const Caller* caller,
                absl::string_view method, const absl::Status& status);

// OK when `caller` may submit the envelope `bytes`: its key is known and
// CheckMaySubmitWith allows it. kInvalidArgument for an envelope that does
// not parse; kPermissionDenied otherwise.
absl::Status CheckMaySubmitEnvelope(const ledger::Ledger& ledger,
                                    const Caller& caller,
                                    const std::string& bytes);

// OK when leaf `index` was signed by a key bound to `caller`'s identity
// ("own entries"); kPermissionDenied otherwise, kDataLoss when the stored
// leaf does not parse.
absl::Status CheckSignedByCaller(const ledger::Ledger& ledger,
                                 const Caller& caller, uint64_t index);

// OK when `caller` may read every leaf in [first, first + count): callers
// that read everything always; a provider its own entries
// (CheckSignedByCaller) and the leaves about its models
// (ModelView::CheckLeavesInScope, after catching up). kPermissionDenied
// naming the first other leaf and nothing about it.
absl::Status CheckMayReadLeaves(const ServiceDeps& deps, const Caller& caller,
                                const ReadScope& scope, uint64_t first,
                                uint64_t count);

// The tree size a signed checkpoint note commits to. kDataLoss when the note
// does not parse (it came from our own store).
absl::StatusOr<uint64_t> CheckpointNoteSize(absl::string_view note);

// The latest checkpoint as clients get it (GetCheckpoint, tiles): with
// witnesses, WitnessCollector::Latest (cosignatures appended after the log's
// signature); otherwise the ledger's. kNotFound before the first.
absl::StatusOr<std::string> PublishedCheckpoint(const ServiceDeps& deps);
// The ledger's checkpoint of `size` entries with the cosignatures gathered
// for it (the last WitnessCollector::kKeptSizes sizes).
absl::StatusOr<std::string> PublishedCheckpointAt(const ServiceDeps& deps,
                                                  uint64_t size);
// The checkpoint proof receipts are built on: with wait_for_quorum the newest
// the quorum cosigned (kFailedPrecondition naming the missing witnesses when
// none has), otherwise PublishedCheckpoint (kFailedPrecondition before the
// first).
absl::StatusOr<std::string> ReceiptCheckpoint(const ServiceDeps& deps);

// Finishes a unary call now with `status` and returns its reactor.
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* ctx,
                                     const absl::Status& status);

}  // namespace api::server

#endif  // API_SERVER_SERVICE_DEPS_H_
