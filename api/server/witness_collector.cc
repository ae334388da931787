#include "api/server/witness_collector.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/server/log.h"
#include "ledger/witness_policy/quorum.h"
#include "ledger/witnessing/add_checkpoint_response.h"

namespace api::server {

using ledger::witness_policy::Policy;

WitnessCollector::WitnessCollector(const ledger::Ledger* ledger, Policy policy,
                                   WitnessCollectorOptions options)
    : ledger_(ledger), policy_(std::move(policy)), options_(options) {}

absl::StatusOr<std::unique_ptr<WitnessCollector>> WitnessCollector::Start(
    const ledger::Ledger* ledger, Policy policy,
    WitnessCollectorOptions options) {
  auto collector = std::unique_ptr<WitnessCollector>(
      new WitnessCollector(ledger, std::move(policy), options));
  client::CurlHttpGetterOptions http_options;
  http_options.connect_timeout = options.request_timeout;
  http_options.total_timeout = options.request_timeout;
  http_options.accept_compressed = false;
  std::vector<size_t> asked;
  {
    absl::MutexLock lock(&collector->mu_);
    for (const auto& witness : collector->policy_.witnesses) {
      Slot slot;
      slot.witness = &witness;
      slot.backoff = options.backoff_min;
      slot.report.name = witness.name;
      slot.report.url = witness.url;
      if (witness.url.empty()) {
        slot.report.last_error = "no URL in the policy: never asked";
        slot.report.failing = true;
        slot.answered = UINT64_MAX;
      } else {
        absl::StatusOr<std::unique_ptr<client::CurlHttpGetter>> http =
            client::CurlHttpGetter::Create(http_options);
        if (!http.ok()) return http.status();
        slot.http = *std::move(http);
        asked.push_back(collector->slots_.size());
      }
      collector->slots_.push_back(std::move(slot));
    }
  }
  if (asked.empty()) {
    return absl::InvalidArgumentError(
        "witness policy: no witness line has a URL (witness <name> <vkey> "
        "<url>): the log has no one to ask for cosignatures");
  }
  for (size_t i : asked) {
    collector->threads_.emplace_back([c = collector.get(), i] { c->Run(i); });
  }
  return collector;
}

WitnessCollector::~WitnessCollector() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) t.join();
}

void WitnessCollector::Offer(const std::string& note, uint64_t size) {
  absl::MutexLock lock(&mu_);
  if (size < target_size_) return;  // an older publish racing a newer one
  auto [it, fresh] = gathered_.try_emplace(size);
  if (fresh || NoteBody(it->second.note) != NoteBody(note)) {
    it->second = Gathered{note, std::vector<std::string>(slots_.size())};
  }
  // "quorum none": every checkpoint meets it, cosigned or not.
  if (size > quorum_size_ && QuorumMet(it->second)) quorum_size_ = size;
  while (gathered_.size() > kKeptSizes) gathered_.erase(gathered_.begin());
  target_note_ = note;
  target_size_ = size;
  ++target_generation_;
}

void WitnessCollector::AwaitRound(uint64_t size) {
  absl::MutexLock lock(&mu_);
  auto done = [this, size]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    if (stopping_) return true;
    const absl::Time now = absl::Now();
    for (const Slot& slot : slots_) {
      const bool backing_off = slot.report.failing && slot.retry_at > now;
      if (slot.answered < size && !backing_off) return false;
    }
    return true;
  };
  mu_.AwaitWithTimeout(absl::Condition(&done),
                       options_.request_timeout + absl::Milliseconds(100));
  if (gathered_.count(size) != 0) {
    published_size_ = std::max(published_size_, size);
  }
}

bool WitnessCollector::WaitForWork(size_t index, std::string* note,
                                   uint64_t* size, uint64_t* old_size) {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (stopping_) return false;
    const Slot& slot = slots_[index];
    const bool work = target_size_ != 0 && slot.line_size != target_size_;
    if (work && absl::Now() >= slot.retry_at) {
      *note = target_note_;
      *size = target_size_;
      *old_size = slot.report.size_known ? slot.report.cosigned_size : 0;
      return true;
    }
    const uint64_t generation = target_generation_;
    auto wake = [this, generation]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return stopping_ || target_generation_ != generation;
    };
    mu_.AwaitWithDeadline(absl::Condition(&wake),
                          work ? slot.retry_at : absl::InfiniteFuture());
  }
}

void WitnessCollector::Run(size_t index) {
  client::CurlHttpGetter* http;
  const ledger::witness_policy::PolicyWitness* witness;
  {
    absl::MutexLock lock(&mu_);
    http = slots_[index].http.get();
    witness = slots_[index].witness;
  }
  std::string note;
  uint64_t size = 0, old_size = 0;
  while (WaitForWork(index, &note, &size, &old_size)) {
    const WitnessAnswer answer =
        AskWitness(*http, *witness, *ledger_, old_size, note, size);
    absl::MutexLock lock(&mu_);
    Record(index, size, answer);
  }
}

void WitnessCollector::Record(size_t index, uint64_t size,
                              const WitnessAnswer& answer) {
  Slot& slot = slots_[index];
  WitnessReport& report = slot.report;
  const absl::Time now = absl::Now();
  if (answer.kind == WitnessAnswer::Kind::kConflict) {
    report.size_known = true;
    report.cosigned_size = answer.witness_size;
    // The origin tells the log's own witnessing from its index's.
    LogEvent("info", "witness_size_learned",
             {{"origin", ledger_->origin()},
              {"witness", slot.witness->name},
              {"size", absl::StrCat(answer.witness_size)}});
    // Retry at once from the size it said; a second 409 in a row fails.
    if (slot.conflicts++ == 0) return;
  }
  slot.conflicts = 0;
  slot.answered = std::max(slot.answered, size);
  if (answer.kind == WitnessAnswer::Kind::kCosigned) {
    report.size_known = true;
    report.cosigned_size = size;
    slot.line_size = size;
    report.last_success = now;
    report.failing = false;
    slot.backoff = options_.backoff_min;
    slot.retry_at = absl::InfinitePast();
    auto it = gathered_.find(size);
    if (it != gathered_.end()) {
      it->second.lines[index] = answer.cosignature;
      if (size > quorum_size_ && QuorumMet(it->second)) quorum_size_ = size;
    }
    return;
  }
  report.failing = true;
  report.last_error =
      answer.kind == WitnessAnswer::Kind::kConflict
          ? absl::StrCat("witness ", slot.witness->name,
                         ": 409 twice in a row (", answer.witness_size, ")")
          : answer.error;
  report.last_error_time = now;
  slot.retry_at = now + slot.backoff;
  slot.backoff = std::min(slot.backoff * 2, options_.backoff_max);
  LogEvent("warning", "witness_failed",
           {{"origin", ledger_->origin()},
            {"witness", slot.witness->name},
            {"size", absl::StrCat(size)},
            {"error", report.last_error},
            {"retry_in", absl::FormatDuration(slot.retry_at - now)}});
}

absl::flat_hash_set<std::string> WitnessCollector::Cosigners(
    const Gathered& gathered) const {
  absl::flat_hash_set<std::string> names;
  for (size_t i = 0; i < gathered.lines.size(); ++i) {
    if (!gathered.lines[i].empty()) names.insert(policy_.witnesses[i].name);
  }
  return names;
}

bool WitnessCollector::QuorumMet(const Gathered& gathered) const {
  return ledger::witness_policy::QuorumSatisfied(policy_, Cosigners(gathered));
}

std::string WitnessCollector::Attach(const Gathered& gathered) const {
  std::vector<std::string> lines;
  for (const std::string& line : gathered.lines) {
    if (!line.empty()) lines.push_back(line);
  }
  return ledger::witnessing::AddCosignatures(gathered.note, lines);
}

absl::StatusOr<std::string> WitnessCollector::Latest() const {
  {
    absl::MutexLock lock(&mu_);
    auto it = gathered_.find(published_size_);
    if (it != gathered_.end()) return Attach(it->second);
  }
  return ledger_->LatestCheckpoint();
}

std::string WitnessCollector::WithCosignatures(const std::string& note,
                                               uint64_t size) const {
  absl::MutexLock lock(&mu_);
  auto it = gathered_.find(size);
  if (it == gathered_.end() || NoteBody(it->second.note) != NoteBody(note)) {
    return note;
  }
  return Attach(Gathered{note, it->second.lines});
}

absl::StatusOr<std::string> WitnessCollector::QuorumCheckpoint() const {
  uint64_t size;
  {
    absl::MutexLock lock(&mu_);
    auto it = gathered_.find(quorum_size_);
    if (quorum_size_ != 0 && it != gathered_.end()) return Attach(it->second);
    size = target_size_;
  }
  return absl::NotFoundError(WhyNoQuorum(size));
}

uint64_t WitnessCollector::QuorumSize() const {
  absl::MutexLock lock(&mu_);
  return quorum_size_;
}

std::string WitnessCollector::WhyNoQuorum(uint64_t size) const {
  absl::MutexLock lock(&mu_);
  absl::flat_hash_set<std::string> cosigned;
  auto it = gathered_.find(target_size_);
  if (it != gathered_.end()) cosigned = Cosigners(it->second);
  std::vector<std::string> missing;
  for (const std::string& name :
       ledger::witness_policy::MissingWitnesses(policy_, cosigned)) {
    std::string item = name;
    for (const Slot& slot : slots_) {
      if (slot.witness->name == name && !slot.report.last_error.empty()) {
        absl::StrAppend(&item, " (last error: ", slot.report.last_error, ")");
      }
    }
    missing.push_back(std::move(item));
  }
  return absl::StrCat("no checkpoint covering ", size,
                      " entries has the witness quorum ", policy_.quorum,
                      " yet (the newest with it has ", quorum_size_,
                      " entries); missing: ", absl::StrJoin(missing, "; "));
}

std::vector<WitnessReport> WitnessCollector::Reports() const {
  absl::MutexLock lock(&mu_);
  std::vector<WitnessReport> out;
  for (const Slot& slot : slots_) {
    WitnessReport report = slot.report;
    report.behind = target_size_ > report.cosigned_size
                        ? target_size_ - report.cosigned_size
                        : 0;
    out.push_back(std::move(report));
  }
  return out;
}

}  // namespace api::server
