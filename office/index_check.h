// IndexCheck: the monitor's replay of a verifiable index's output log (an
// `index` line; index/FORMAT.md, "Output log"), run by that log's follower
// on its own thread before it commits a chunk of leaves (log_follower.h):
// every IndexUpdate among them must replay over the monitor's mirror of the
// input log — api::index::IndexReplayer, the code of `ledgerctl
// verify-index`, reading the input through MirrorLogReader. So the output
// log's mirror (and what the monitor's witness cosigns: VerifiedUpToSize)
// never holds an update that did not replay, and a mismatch stops the log
// like any hostile answer (IncidentKind::kIndexMismatch), from the thread
// that commits — never from the witness's.
//
// Incremental: the replay state (the map and the input's compact range) of
// the output leaves checked so far is kept in memory, so each input leaf is
// read once however many updates and checkpoints follow. After a restart or
// an error it is rebuilt by replaying the committed output leaves from the
// mirror (each checked again), once.
//
// An update naming an input size beyond the input log's mirror is not
// checked yet: Check says kUnavailable and waiting() names it, until a later
// Check replays it (IndexInputWait, below). Never a mismatch: the output
// log may be served ahead of its input (a lagging static copy), and nothing
// the monitor holds proves the input will never get there.
//
// Not thread-safe: one follower owns it. The mirror is shared (its input
// log is written by another follower meanwhile).
#ifndef OFFICE_INDEX_CHECK_H_
#define OFFICE_INDEX_CHECK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "api/client/log_reader.h"
#include "api/index/index_replayer.h"
#include "office/mirror.h"

namespace office {

// The first output leaf that does not replay, and why.
struct IndexMismatch {
  uint64_t leaf = 0;
  std::string reason;  // ReplayIndex's kDataLoss message
};

// An output leaf whose update names an input size the mirror of the input
// log does not hold yet: the output log's follower waits for it (and the
// monitor reports the wait: docs/ai-office-monitor.md).
struct IndexInputWait {
  uint64_t leaf = 0;        // the output leaf waiting
  uint64_t named_size = 0;  // the input size its update names
  uint64_t held_size = 0;   // the input log's verified size in the mirror
  // When the follower first saw this leaf wait, and when it last did (its
  // clock at those steps); IndexCheck leaves both unset.
  absl::Time since, seen;
};

class IndexCheck {
 public:
  // `mirror` is not owned and must outlive this.
  IndexCheck(const Mirror* mirror, std::string output_origin,
             std::string input_origin)
      : mirror_(mirror),
        output_origin_(std::move(output_origin)),
        input_origin_(std::move(input_origin)) {}

  // Checks output leaves [first, first + leaves.size()), where `first` is
  // the output log's committed (mirrored) size; leaves checked by an earlier
  // call that was not committed (the follower retries after an error) are
  // not checked again. Returns nullopt when every update replays; the first
  // mismatch when one does not (kDataLoss from the replay; also a leaf that
  // is no IndexUpdate). kUnavailable when an update names an input size the
  // mirror of the input log has not verified yet (retry later: the input's
  // follower may be behind); kFailedPrecondition for a MapFn version this
  // binary does not replay; the mirror's errors.
  absl::StatusOr<std::optional<IndexMismatch>> Check(
      uint64_t first, absl::Span<const std::string> leaves);

  // The leaf the last Check stopped at for want of input, until a Check
  // replays it (or finds a mismatch); nullopt when none waits.
  const std::optional<IndexInputWait>& waiting() const { return waiting_; }

  // The input leaves the replays read, rebuilds included (what makes the
  // check incremental: tests).
  uint64_t input_leaves_read() const { return input_leaves_read_; }

 private:
  // Replays the committed output leaves [0, first) from the mirror.
  absl::StatusOr<std::optional<IndexMismatch>> Rebuild(uint64_t first);
  // Checks output leaf `index` (the next) against the input as of `at`.
  absl::StatusOr<std::optional<IndexMismatch>> CheckLeaf(
      uint64_t index, absl::string_view leaf, api::client::LogReader& input,
      const api::client::VerifiedCheckpoint& at);
  // A replay failure: kDataLoss is the log's (a mismatch), anything else
  // an error; either way the state is rebuilt next time.
  absl::StatusOr<std::optional<IndexMismatch>> Failed(uint64_t index,
                                                      const absl::Status& why);

  const Mirror* const mirror_;
  const std::string output_origin_;
  const std::string input_origin_;
  // The replay of output leaves [0, checked_); null: to rebuild.
  std::unique_ptr<api::index::IndexReplayer> replayer_;
  uint64_t checked_ = 0;
  uint64_t input_leaves_read_ = 0;
  std::optional<IndexInputWait> waiting_;
};

}  // namespace office

#endif  // OFFICE_INDEX_CHECK_H_
