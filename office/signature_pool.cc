#include "office/signature_pool.h"

#include <utility>

namespace office {

SignaturePool::SignaturePool(int workers) {
  if (workers < 1) workers = 1;
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
}

SignaturePool::~SignaturePool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

SignaturePool::Ticket SignaturePool::Submit(ledger::DeferredSignatures batch) {
  auto job = std::make_shared<Job>(std::move(batch));
  if (job->batch.size() == 0) return Ticket(std::move(job));  // finished
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(job);
  }
  work_.notify_all();
  return Ticket(std::move(job));
}

bool SignaturePool::Ready(const Ticket& ticket) const {
  std::lock_guard<std::mutex> lock(mu_);
  return ticket.job_->Finished();
}

std::optional<ledger::LeafFailure> SignaturePool::Wait(const Ticket& ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  Job* job = ticket.job_.get();
  finished_.wait(lock, [job] { return job->Finished(); });
  return job->first_bad;
}

void SignaturePool::Cancel(const Ticket& ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  Job* job = ticket.job_.get();
  if (job->claimed < job->batch.size()) {
    job->done += job->batch.size() - job->claimed;
    job->claimed = job->batch.size();
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (it->get() == job) {
        queue_.erase(it);
        break;
      }
    }
  }
  finished_.wait(lock, [job] { return job->Finished(); });
}

void SignaturePool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_, and everything submitted is done
    // The oldest batch first: its chunk is the one the follower commits
    // next. Kept alive by `job` even when its ticket is dropped meanwhile.
    std::shared_ptr<Job> job = queue_.front();
    const size_t position = job->claimed++;
    if (job->claimed == job->batch.size()) queue_.pop_front();
    lock.unlock();
    std::optional<ledger::LeafFailure> bad = job->batch.VerifyOne(position);
    lock.lock();
    Record(job.get(), position, std::move(bad));
  }
}

void SignaturePool::Record(Job* job, size_t position,
                           std::optional<ledger::LeafFailure> bad) {
  // Signatures finish in any order: keep the one added first (the batch
  // holds its leaves in order, so the lowest leaf index).
  if (bad.has_value() &&
      (!job->first_bad.has_value() || position < job->first_bad_position)) {
    job->first_bad = std::move(bad);
    job->first_bad_position = position;
  }
  if (++job->done == job->batch.size()) finished_.notify_all();
}

}  // namespace office
