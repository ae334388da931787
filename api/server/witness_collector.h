// WitnessCollector: gathers witnesses' cosignatures for the ledger's
// checkpoints (ledger_server --witness_policy; c2sp.org/tlog-witness). One
// thread per policy witness with a URL asks it to cosign the newest
// checkpoint offered, from the size it last cosigned (learned from its 409
// when unknown, starting from 0), with a per-request timeout and exponential
// backoff after failures. Nothing here is on the ingest path: the publisher
// offers each new checkpoint and waits at most `round_timeout` for the round.
//
// Cosignatures are kept in memory beside the checkpoint they cover (the
// last kKeptSizes sizes), never in the ledger: they are not the log's
// statements, and a restarted server asks again (a witness cosigns a repeat
// of its latest size again, so one round restores them).
//
// Thread-safe.
#ifndef API_SERVER_WITNESS_COLLECTOR_H_
#define API_SERVER_WITNESS_COLLECTOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "api/client/curl_http_getter.h"
#include "api/server/witness_exchange.h"
#include "ledger/ledger.h"
#include "ledger/witness_policy/policy.h"

namespace api::server {

struct WitnessCollectorOptions {
  // Each add-checkpoint request, connecting included; also the longest the
  // publisher waits for a round. Default: 5 s.
  absl::Duration request_timeout = absl::Seconds(5);
  // After a failure a witness is asked again after backoff_min, doubling up
  // to backoff_max while it keeps failing. Defaults: 1 s, 60 s.
  absl::Duration backoff_min = absl::Seconds(1);
  absl::Duration backoff_max = absl::Seconds(60);
};

// What GetStatus and `ledgerctl witness-status` report about one witness.
struct WitnessReport {
  std::string name;
  std::string url;
  bool size_known = false;     // cosigned_size was said by the witness
  uint64_t cosigned_size = 0;  // the largest size it cosigned (or said)
  absl::Time last_success = absl::InfinitePast();
  std::string last_error;  // "" when none since the start
  absl::Time last_error_time = absl::InfinitePast();
  bool failing = false;  // its latest exchange failed
  uint64_t behind = 0;   // latest offered size − cosigned_size
};

class WitnessCollector {
 public:
  // How many checkpoint sizes keep their cosignatures.
  static constexpr size_t kKeptSizes = 64;

  // Starts a thread per policy witness with a URL (witnesses without one are
  // reported as never asked). The ledger is not owned and must outlive this.
  // kInvalidArgument when no witness has a URL; kInternal when libcurl
  // cannot start.
  static absl::StatusOr<std::unique_ptr<WitnessCollector>> Start(
      const ledger::Ledger* ledger, ledger::witness_policy::Policy policy,
      WitnessCollectorOptions options);
  ~WitnessCollector();  // stops the threads (an exchange in flight ends
                        // within request_timeout)

  // A new signed checkpoint of `size` entries: every witness is asked for it
  // (after its backoff, when failing). Does not block.
  void Offer(const std::string& note, uint64_t size);
  // Waits until every witness answered for `size` (cosigned it, or failed,
  // or is backing off after a failure), at most `request_timeout`; then the
  // checkpoint is the one Latest() serves.
  void AwaitRound(uint64_t size);

  // The checkpoint clients get: the newest one whose round ended, with the
  // cosignatures gathered for it; before the first round ends, the ledger's
  // latest. The ledger's errors (kNotFound before any checkpoint).
  absl::StatusOr<std::string> Latest() const;
  // `note` (the ledger's checkpoint of `size` entries) with the cosignatures
  // gathered for it; `note` unchanged when there are none.
  std::string WithCosignatures(const std::string& note, uint64_t size) const;
  // The newest checkpoint whose cosignatures meet the policy's quorum, with
  // them. kNotFound naming what is missing when none does (yet).
  absl::StatusOr<std::string> QuorumCheckpoint() const;
  // The size of that checkpoint; 0 when none.
  uint64_t QuorumSize() const;
  // Why no checkpoint of at least `size` entries has the quorum: the quorum,
  // the missing witnesses and their last errors.
  std::string WhyNoQuorum(uint64_t size) const;
  // The policy's quorum name ("none" allowed).
  const std::string& quorum() const { return policy_.quorum; }
  // One report per policy witness, in policy order.
  std::vector<WitnessReport> Reports() const;

 private:
  struct Slot {
    const ledger::witness_policy::PolicyWitness* witness =
        nullptr;                                   // in policy_
    std::unique_ptr<client::CurlHttpGetter> http;  // its thread's only
    WitnessReport report;
    uint64_t answered = 0;   // size of its last finished exchange
    uint64_t line_size = 0;  // size of the last cosignature it gave
    absl::Time retry_at = absl::InfinitePast();
    absl::Duration backoff = absl::ZeroDuration();
    int conflicts = 0;  // 409s in a row
  };
  struct Gathered {
    std::string note;                // the log's signed note
    std::vector<std::string> lines;  // by witness index; "" = none
  };

  WitnessCollector(const ledger::Ledger* ledger,
                   ledger::witness_policy::Policy policy,
                   WitnessCollectorOptions options);
  void Run(size_t index);
  // Blocks until witness `index` has work; false when stopping.
  bool WaitForWork(size_t index, std::string* note, uint64_t* size,
                   uint64_t* old_size);
  void Record(size_t index, uint64_t size, const WitnessAnswer& answer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QuorumMet(const Gathered& gathered) const;
  absl::flat_hash_set<std::string> Cosigners(const Gathered& gathered) const;
  std::string Attach(const Gathered& gathered) const;

  const ledger::Ledger* const ledger_;
  const ledger::witness_policy::Policy policy_;
  const WitnessCollectorOptions options_;
  std::vector<std::thread> threads_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Slot> slots_ ABSL_GUARDED_BY(mu_);
  std::string target_note_ ABSL_GUARDED_BY(mu_);
  uint64_t target_size_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t target_generation_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t published_size_ ABSL_GUARDED_BY(mu_) = 0;  // 0: none yet
  uint64_t quorum_size_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Gathered> gathered_ ABSL_GUARDED_BY(mu_);
};

}  // namespace api::server

#endif  // API_SERVER_WITNESS_COLLECTOR_H_
