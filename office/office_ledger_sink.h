// OfficeLedgerSink: the AI Office's fold of the mirror into its own ledger
// (compliance/README.md, "The Office ledger"). The follower (log_follower.h)
// only mirrors what it verified; this reads the mirror (mirror.h, the
// contract) and, per origin that advanced, feeds the new leaves in order to
// compliance::OfficeState, then records in the Office ledger, through
// compliance::OfficeRecorder: the factory checkpoint fully verified at the
// mirrored size, the findings Evaluate() returns, the model totals that
// changed, an X4 finding for each log the monitor stopped
// (compliance/office_rules.h), and publishes an Office checkpoint.
//
// Restart without duplicates: Open() reads the whole Office ledger back
// through a verifying LogReader, up to a checkpoint covering every entry
// the ledger acknowledged (OfficeLedgerLink::Settled) (each finding to
// OfficeState::Record, each totals to RecordTotals, the last recorded size of
// each factory checkpoint, the X4 findings), then SyncAll() re-feeds every
// mirrored leaf from 0. Evaluate() then returns only what was not recorded
// before the crash (the mirror and the Office ledger are two databases: a crash
// between them loses nothing, the next start records the rest).
//
// Acknowledged means durable: an entry counts once the ledger (its synced
// write, or the server's DurableReceipt) answered for it; entries of an
// unanswered append are kept signed and sent again as the same bytes by the
// next Sync (compliance/signed_appender.h), so the ledger answers any that
// had landed with its original receipt.
//
// Thread-safe: the monitor's follower threads call Sync concurrently; the
// calls are serialized (the Office's fold is one state).
#ifndef OFFICE_OFFICE_LEDGER_SINK_H_
#define OFFICE_OFFICE_LEDGER_SINK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "compliance/leaf_entry.h"
#include "compliance/office_recorder.h"
#include "compliance/office_state.h"
#include "office/mirror.h"
#include "office/office_ledger_link.h"

namespace office {

// Where the Office ledger is (a ledger_server or a folder held here:
// office_ledger_link.h), and its keys: the rules key (ROLE_RULES) and the
// office key (ROLE_OFFICE) enrolled in it (ledgerctl init; its own origin).
struct OfficeLedgerOptions : OfficeLedgerLinkOptions {
  std::string rules_key_path;
  std::string office_key_path;
  // The rule pack run on each global model; "" = the built-in AI Act pack.
  std::string rules_pack_path;
  // Interval leaves the fold keeps per model and factory (0: all): the
  // Office's memory bound (compliance::OfficeRuleOptions).
  uint64_t max_evidence_leaves = 0;
  // Origins of verifiable indexes' output logs (the config's `index`
  // lines): followed, mirrored and cosigned, but no factory's log: their
  // IndexUpdate leaves are not folded (no models, no share of any) and
  // their checkpoints are not recorded as factory checkpoints. A stopped
  // one is still an X4 finding. Default: none.
  std::set<std::string> index_logs;
};

// What one Sync recorded (for the monitor's event log).
struct OfficeRecorded {
  uint64_t checkpoints = 0;
  uint64_t findings = 0;
  uint64_t totals = 0;
  uint64_t office_size = 0;  // the Office ledger's size after it
};

class OfficeLedgerSink {
 public:
  // Opens the Office ledger (a folder is held until destruction; a server
  // serves it meanwhile) and reads it back. `mirror` is not owned and must
  // outlive the sink.
  static absl::StatusOr<std::unique_ptr<OfficeLedgerSink>> Open(
      const OfficeLedgerOptions& options, const Mirror* mirror);

  // Feeds `origin`'s leaves mirrored since the last call and records what
  // changed. A leaf the Office's fold refuses (kDataLoss: it cannot happen
  // to a verified leaf) stops folding that origin; the error is returned
  // once.
  absl::StatusOr<OfficeRecorded> Sync(const std::string& origin);
  // Sync for every origin of the mirror (at start).
  absl::StatusOr<OfficeRecorded> SyncAll();

  // Every Office finding currently raised (OfficeState::Raised).
  std::vector<aifl::rules::v1::Finding> Raised();
  // The interval leaves the fold keeps, every origin and model (what
  // max_evidence_leaves bounds; fold_bench prints it).
  uint64_t EvidenceLeavesKept();
  // The origins the Office's fold holds (factory logs only), sorted.
  std::vector<std::string> FoldedOrigins();

 private:
  OfficeLedgerSink(std::unique_ptr<OfficeLedgerLink> link, const Mirror* mirror,
                   common::Clock* clock, std::set<std::string> index_logs)
      : link_(std::move(link)),
        mirror_(mirror),
        clock_(clock),
        index_logs_(std::move(index_logs)) {}

  absl::Status ReadBack(const api::client::VerifiedCheckpoint& at)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One leaf of the Office ledger read back.
  void ReadBackLeaf(const compliance::ConvertedLeaf& leaf)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Feed(const std::string& origin)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecordCheckpoint(const std::string& origin, OfficeRecorded* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecordIncidents(const std::string& origin, OfficeRecorded* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecordState(OfficeRecorded* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<OfficeLedgerLink> link_;
  const Mirror* mirror_;
  common::Clock* clock_;
  const std::set<std::string> index_logs_;
  std::unique_ptr<compliance::OfficeRecorder> recorder_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<compliance::OfficeState> state_ ABSL_GUARDED_BY(mu_);
  // Per origin: the next mirrored leaf to feed.
  std::map<std::string, uint64_t> position_ ABSL_GUARDED_BY(mu_);
  // Origins whose leaves the fold refused: not fed further.
  std::set<std::string> refused_ ABSL_GUARDED_BY(mu_);
  // Per origin: the largest factory checkpoint size recorded.
  std::map<std::string, uint64_t> checkpoint_size_ ABSL_GUARDED_BY(mu_);
  // (origin, verified size) of each X4 finding recorded.
  std::set<std::pair<std::string, uint64_t>> stopped_ ABSL_GUARDED_BY(mu_);
  // The Office ledger's size as last known (read back, then appended).
  uint64_t office_size_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace office

#endif  // OFFICE_OFFICE_LEDGER_SINK_H_
