#include "ledger/append_pipeline.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ledger {

// One accepted batch. Heap-allocated and never moved, so the items may
// point at its envelopes and results.
struct AppendPipeline::Batch {
  std::vector<std::string> envelopes;
  std::vector<AppendResult> results;
  std::vector<Sequencer::Prepared> items;
  Done done;
  size_t bytes = 0;
  size_t chunks_left = 0;  // guarded by mu_
};

std::unique_ptr<AppendPipeline> AppendPipeline::Start(
    Sequencer* sequencer, const PipelineOptions& options) {
  return std::unique_ptr<AppendPipeline>(
      new AppendPipeline(sequencer, options));
}

AppendPipeline::AppendPipeline(Sequencer* sequencer,
                               const PipelineOptions& options)
    : sequencer_(sequencer), options_(options) {
  int threads = options_.verify_threads;
  if (threads <= 0)
    threads =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i)
    workers_.emplace_back([this] { VerifyLoop(); });
  committer_ = std::thread([this] { CommitLoop(); });
}

AppendPipeline::~AppendPipeline() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  // The workers drain to_verify_ and the committer in_order_ before leaving.
  for (std::thread& t : workers_) t.join();
  committer_.join();
}

absl::Status AppendPipeline::Submit(std::vector<std::string>&& envelopes,
                                    Done&& done) {
  if (envelopes.empty())
    return absl::InvalidArgumentError("envelopes: got 0, want at least 1");
  size_t bytes = 0;
  for (const std::string& e : envelopes) bytes += e.size();
  const size_t n = envelopes.size();
  // Nothing can be appended: answer now rather than verify for nothing.
  if (absl::Status writable = sequencer_->CheckWritable(); !writable.ok()) {
    std::vector<AppendResult> results(n);
    for (AppendResult& r : results) r.status = writable;
    done(std::move(results));
    return absl::OkStatus();
  }
  const size_t chunk = std::max<size_t>(1, options_.verify_chunk);
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the ledger is closing");
  if (held_.batches > 0 && (held_.entries + n > options_.max_entries ||
                            held_.bytes + bytes > options_.max_bytes)) {
    return absl::UnavailableError(absl::StrCat(
        "append pipeline full (", held_.entries, " entries, ", held_.bytes,
        " bytes waiting; limits ", options_.max_entries, " and ",
        options_.max_bytes, "): retry with backoff"));
  }
  auto batch = std::make_unique<Batch>();
  batch->envelopes = std::move(envelopes);
  batch->results.resize(n);
  batch->items.resize(n);
  batch->done = std::move(done);
  batch->bytes = bytes;
  batch->chunks_left = (n + chunk - 1) / chunk;
  held_.batches += 1;
  held_.entries += n;
  held_.bytes += bytes;
  for (size_t begin = 0; begin < n; begin += chunk)
    to_verify_.push_back({batch.get(), begin, std::min(n, begin + chunk)});
  in_order_.push_back(std::move(batch));
  return absl::OkStatus();
}

AppendPipeline::Sample AppendPipeline::Now() const {
  absl::MutexLock lock(&mu_);
  return held_;
}

void AppendPipeline::VerifyLoop() {
  while (true) {
    Chunk task;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return stopping_ || !to_verify_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (to_verify_.empty()) return;  // stopping, nothing left
      task = to_verify_.front();
      to_verify_.pop_front();
    }
    Batch& batch = *task.batch;
    for (size_t i = task.begin; i < task.end; ++i) {
      batch.items[i].result = &batch.results[i];
      sequencer_->PrepareOne(batch.envelopes[i], &batch.items[i]);
    }
    absl::MutexLock lock(&mu_);
    if (--batch.chunks_left == 0) held_.verified += 1;
  }
}

void AppendPipeline::CommitLoop() {
  while (true) {
    std::vector<std::unique_ptr<Batch>> run;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return (stopping_ && in_order_.empty()) ||
               (!in_order_.empty() && in_order_.front()->chunks_left == 0);
      };
      mu_.Await(absl::Condition(&ready));
      if (in_order_.empty()) return;  // stopping, everything answered
      // The verified batches at the head, in order, up to one group.
      size_t entries = 0;
      while (!in_order_.empty() && in_order_.front()->chunks_left == 0) {
        const size_t n = in_order_.front()->items.size();
        if (!run.empty() &&
            entries + n > sequencer_->options_.max_group_entries)
          break;
        entries += n;
        run.push_back(std::move(in_order_.front()));
        in_order_.pop_front();
      }
      held_.verified -= run.size();
    }
    CommitRun(run);
    absl::MutexLock lock(&mu_);
    for (const std::unique_ptr<Batch>& batch : run) {
      held_.batches -= 1;
      held_.entries -= batch->items.size();
      held_.bytes -= batch->bytes;
    }
  }
}

void AppendPipeline::CommitRun(std::vector<std::unique_ptr<Batch>>& run) {
  // Checked again: the free-space floor may have been crossed meanwhile.
  if (absl::Status writable = sequencer_->CheckWritable(); !writable.ok()) {
    for (std::unique_ptr<Batch>& batch : run) {
      for (AppendResult& r : batch->results) r.status = writable;
    }
  } else {
    Sequencer::Writer writer;
    size_t entries = 0;
    for (const std::unique_ptr<Batch>& batch : run)
      entries += batch->items.size();
    writer.items.reserve(entries);
    for (std::unique_ptr<Batch>& batch : run) {
      for (Sequencer::Prepared& item : batch->items)
        writer.items.push_back(std::move(item));
    }
    sequencer_->Commit(writer);
  }
  for (std::unique_ptr<Batch>& batch : run)
    batch->done(std::move(batch->results));
}

}  // namespace ledger
