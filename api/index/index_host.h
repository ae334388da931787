// The per-model index hosted by a ledger server (`ledger_server
// --index_dir`): the server keeps it current from its own verified
// checkpoints (Update, after each checkpoint tick) and answers
// Audit.GetModelEntries from it, head and pages (index/model_page.h).
//
// Why the server and not a separate `ledgerctl index-update`: the server
// holds its ledger's RocksDB open, so a second process could only follow it
// over gRPC or tiles, and the server that answers must hold the output log
// too (an answer is proven in its latest checkpoint). One process owning
// the input, the index and the output log answers from the newest state
// without a second copy of any of them. The update still goes through the
// one LogReader (a FolderLogReader over the open ledger): every checkpoint
// signature and the leaves' root are checked as any follower checks them.
//
// The output log is served and witnessed like the input (output_ledger():
// ledger_server's /index/ tiles and its witnesses; set_cosigned gives the
// heads the cosignatures gathered).
//
// Thread-safe: Update, Head and Page serialise on one lock (a long
// catch-up delays queries, never the ledger's appends).
#ifndef API_INDEX_INDEX_HOST_H_
#define API_INDEX_INDEX_HOST_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "api/client/folder_log_reader.h"
#include "api/index/index_follow.h"
#include "index/index_builder.h"
#include "index/model_citations.h"
#include "index/model_page.h"
#include "index/output_log.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"

namespace api::index {

// The output log (a ledger folder `ledgerctl init` made, with a rules key
// enrolled) opened read-write, and its OutputLog signing with the secret
// key in `key_path`. Errors as Ledger::Open, ReadSecretKeyFile and
// OutputLog::Create.
struct OpenedOutputLog {
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<vindex::OutputLog> log;
};
absl::StatusOr<OpenedOutputLog> OpenOutputLog(const std::string& dir,
                                              const std::string& key_path);

// The first page of an answer: the output log's checkpoint and the head
// proven in it.
struct HostedHead {
  std::string output_checkpoint;  // the signed note, byte for byte
  vindex::ModelAnswerHead head;
  uint64_t input_size = 0;  // the head's update's input size
};

class IndexHost {
 public:
  static constexpr uint64_t kMaxStepLeaves = 100000;

  // `input` (not owned) is the served ledger; `output` the index's output
  // log; `store_dir` the index's RocksDB folder (created when absent).
  // Indexes nothing yet (call Update). Errors as IndexBuilder::Open and
  // FolderLogReader::Wrap.
  static absl::StatusOr<std::unique_ptr<IndexHost>> Open(
      const ledger::Ledger& input, OpenedOutputLog output,
      const std::string& store_dir, uint64_t max_step_leaves = kMaxStepLeaves);

  // Indexes the input up to its latest checkpoint and publishes the update
  // (FollowTo). A catch-up of more than max_step_leaves stops at the largest
  // published checkpoint within that many leaves (the leaves of one step
  // are held in memory); the next call goes on.
  absl::StatusOr<FollowStep> Update();

  // The output log's latest checkpoint and the head for `model_id` in it.
  // kFailedPrecondition before the first update.
  absl::StatusOr<HostedHead> Head(absl::string_view model_id);

  // MakeModelPage under the lock: O(page + log n) reads of the builder's
  // stored list and nodes, whatever the list's length.
  absl::StatusOr<vindex::ModelPage> Page(absl::string_view model_id,
                                         uint64_t list_count,
                                         uint64_t input_size, uint64_t start,
                                         uint64_t max_count,
                                         std::optional<uint64_t> as_of,
                                         size_t max_leaf_bytes);

  // The index citations of `model_ids`' lists as of `input_size`, the size
  // of the fold the findings were computed from (the rules runner's):
  // vindex::CiteModels (index/model_citations.h) under the lock, extending
  // past the index by at most max_step_leaves (kUnavailable beyond: a
  // catch-up, whose leaves would be held in memory).
  absl::StatusOr<vindex::Citations> Cite(
      const std::vector<std::string>& model_ids, uint64_t input_size);

  // The output log's origin (for its verifier key).
  std::string output_origin() const { return output_ledger_->origin(); }
  // The output log's ledger (thread-safe; its checkpoints and tiles are
  // served and witnessed like the input's: ledger_server's /index/ tiles).
  // Owned by the host.
  const ledger::Ledger* output_ledger() const { return output_ledger_; }

  // Gives Head's output checkpoint the cosignatures gathered for it:
  // `cosigned(note, size)` returns the note with them (e.g.
  // WitnessCollector::WithCosignatures). Call before the first Head.
  using Cosigned =
      std::function<std::string(const std::string& note, uint64_t size)>;
  void set_cosigned(Cosigned cosigned) {
    absl::MutexLock lock(&mu_);
    cosigned_ = std::move(cosigned);
  }

 private:
  IndexHost(const ledger::Ledger& input, OpenedOutputLog output)
      : input_(input),
        output_ledger_(output.ledger.get()),
        output_(std::move(output)) {}

  const ledger::Ledger& input_;
  const ledger::Ledger* const output_ledger_;  // output_.ledger's
  uint64_t max_step_leaves_ = kMaxStepLeaves;
  absl::Mutex mu_;
  OpenedOutputLog output_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<client::FolderLogReader> input_reader_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<client::FolderLogReader> output_reader_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<vindex::IndexBuilder> builder_ ABSL_GUARDED_BY(mu_);
  Cosigned cosigned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace api::index

#endif  // API_INDEX_INDEX_HOST_H_
