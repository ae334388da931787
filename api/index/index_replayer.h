// IndexReplayer: `verify-index`'s replay (index_replay.h) one IndexUpdate at
// a time, keeping its state — the map (vindex::ModelMap) and the input
// log's compact range — between updates. A verifier that follows an output
// log as it grows (the AI Office monitor, office/index_check.h) so reads
// each input leaf once, instead of replaying the input from its first
// entry for each new output size; ReplayIndex runs the same code over a
// whole output log.
//
// Not thread-safe (one replay, one thread).
#ifndef API_INDEX_INDEX_REPLAYER_H_
#define API_INDEX_INDEX_REPLAYER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "api/client/log_reader.h"
#include "index/model_map.h"
#include "index/output_log.h"
#include "ledger/merkle/compact_range.h"

namespace api::index {

class IndexReplayer {
 public:
  // `input_origin`: the origin of the log the index must name.
  explicit IndexReplayer(std::string input_origin)
      : input_origin_(std::move(input_origin)) {}

  // Checks the update in output leaf `output_leaf`, which comes after every
  // update checked before: its MapFn version (this binary's, and the first
  // update's), its input origin, an input size that never goes back and is
  // within `at` (a verified checkpoint of `input`); then reads `input`'s
  // leaves from the previous update's input size up to this one's into the
  // map and compares the input root, the map root and the key count.
  // kDataLoss naming the output leaf on a mismatch; kFailedPrecondition for
  // a MapFn version this binary does not replay; the reader's errors. After
  // any error the replayer is spent (the map may hold part of the input):
  // every later Check returns kFailedPrecondition; make a new one.
  absl::Status Check(uint64_t output_leaf, const vindex::IndexUpdate& update,
                     client::LogReader& input,
                     const client::VerifiedCheckpoint& at);

  // The input size of the last update checked (0 before any): the input
  // leaves read so far, each once.
  uint64_t input_size() const { return input_range_.size(); }
  // The updates checked.
  uint64_t updates() const { return updates_; }

 private:
  absl::Status CheckHeader(uint64_t output_leaf,
                           const vindex::IndexUpdate& update,
                           uint64_t verified_input_size) const;
  absl::Status CheckRoots(uint64_t output_leaf,
                          const vindex::IndexUpdate& update) const;

  const std::string input_origin_;
  // Made at the first update, of its MapFn version.
  std::unique_ptr<vindex::ModelMap> map_;
  ledger::merkle::CompactRange input_range_;
  uint64_t updates_ = 0;
  bool spent_ = false;
};

}  // namespace api::index

#endif  // API_INDEX_INDEX_REPLAYER_H_
