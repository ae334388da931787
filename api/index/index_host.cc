#include "api/index/index_host.h"

#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "index/ledger_input.h"
#include "index/model_citations.h"
#include "ledger/crypto/key_file.h"

namespace api::index {

absl::StatusOr<OpenedOutputLog> OpenOutputLog(const std::string& dir,
                                              const std::string& key_path) {
  OpenedOutputLog out;
  ledger::LedgerOptions options;
  options.dir = dir;
  ASSIGN_OR_RETURN(out.ledger, ledger::Ledger::Open(options));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(key_path));
  ASSIGN_OR_RETURN(out.log, vindex::OutputLog::Create(
                                out.ledger.get(),
                                std::make_unique<ledger::EntrySigner>(
                                    std::move(key), out.ledger->origin(), 0)));
  return out;
}

absl::StatusOr<std::unique_ptr<IndexHost>> IndexHost::Open(
    const ledger::Ledger& input, OpenedOutputLog output,
    const std::string& store_dir, uint64_t max_step_leaves) {
  std::unique_ptr<IndexHost> host(new IndexHost(input, std::move(output)));
  host->max_step_leaves_ = max_step_leaves;
  absl::MutexLock lock(&host->mu_);
  vindex::BuilderOptions options;
  options.input = vindex::LedgerLeaves(input);
  ASSIGN_OR_RETURN(host->builder_,
                   vindex::IndexBuilder::Open(store_dir, std::move(options)));
  ASSIGN_OR_RETURN(host->input_reader_,
                   client::FolderLogReader::Wrap(input, "the served ledger"));
  ASSIGN_OR_RETURN(host->output_reader_,
                   client::FolderLogReader::Wrap(*host->output_.ledger,
                                                 "the index's output log"));
  return host;
}

absl::StatusOr<FollowStep> IndexHost::Update() {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint at,
                   input_reader_->LatestCheckpoint());
  const uint64_t from = builder_->state().input_size;
  if (at.fields.size > from + max_step_leaves_) {
    // The published checkpoints after `from`, oldest first: the largest
    // within the step (or the first, when none is).
    ASSIGN_OR_RETURN(std::vector<uint64_t> sizes,
                     input_.CheckpointSizesAfter(from, 1000));
    uint64_t target = 0;
    for (uint64_t size : sizes) {
      if (target != 0 && size > from + max_step_leaves_) break;
      target = size;
    }
    if (target != 0 && target < at.fields.size) {
      ASSIGN_OR_RETURN(at, input_reader_->CheckpointAt(target));
    }
  }
  return FollowTo(*input_reader_, at, *builder_, *output_.log);
}

absl::StatusOr<HostedHead> IndexHost::Head(absl::string_view model_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<client::VerifiedCheckpoint> cp =
      output_reader_->LatestCheckpoint();
  if (!cp.ok()) {
    if (absl::IsNotFound(cp.status())) {
      return absl::FailedPreconditionError(
          "the index has published no update yet");
    }
    return cp.status();
  }
  HostedHead out;
  out.output_checkpoint =
      cosigned_ ? cosigned_(cp->note, cp->fields.size) : cp->note;
  ASSIGN_OR_RETURN(out.head, vindex::MakeModelHead(*builder_, *output_.ledger,
                                                   cp->fields.size, model_id));
  out.input_size = builder_->state().input_size;
  return out;
}

absl::StatusOr<vindex::ModelPage> IndexHost::Page(
    absl::string_view model_id, uint64_t list_count, uint64_t input_size,
    uint64_t start, uint64_t max_count, std::optional<uint64_t> as_of,
    size_t max_leaf_bytes) {
  absl::MutexLock lock(&mu_);
  return vindex::MakeModelPage(*builder_, input_, model_id, list_count,
                               input_size, start, max_count, as_of,
                               max_leaf_bytes);
}

absl::StatusOr<vindex::Citations> IndexHost::Cite(
    const std::vector<std::string>& model_ids, uint64_t input_size) {
  absl::MutexLock lock(&mu_);
  return vindex::CiteModels(*builder_, input_, output_.ledger->origin(),
                            model_ids, input_size, max_step_leaves_);
}

}  // namespace api::index
