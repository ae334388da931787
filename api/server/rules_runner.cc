#include "api/server/rules_runner.h"

#include <cstdio>
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "index/model_citations.h"

namespace api::server {

absl::StatusOr<std::unique_ptr<RulesRunner>> RulesRunner::Start(
    ledger::Ledger* ledger, LedgerModelView* view, RulesRunnerOptions options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<compliance::FindingsRecorder> recorder,
      compliance::FindingsRecorder::Create(ledger, options.rules_key_path));
  return std::unique_ptr<RulesRunner>(
      new RulesRunner(view, std::move(options), std::move(recorder)));
}

RulesRunner::RulesRunner(LedgerModelView* view, RulesRunnerOptions options,
                         std::unique_ptr<compliance::FindingsRecorder> recorder)
    : view_(view),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock
                                       : common::RealClock::Get()),
      recorder_(std::move(recorder)) {
  if (options_.background) thread_ = std::thread([this] { Loop(); });
}

RulesRunner::~RulesRunner() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void RulesRunner::Loop() {
  while (!stop_) {
    bool all = false;
    {
      absl::MutexLock lock(&mu_);
      all = clock_->Now() - last_full_ >= options_.periodic;
    }
    absl::StatusOr<size_t> appended = RunOnce(all);
    if (!appended.ok()) {
      std::fprintf(stderr, "rules runner: %s\n",
                   appended.status().ToString().c_str());
    }
    for (absl::Duration slept; slept < options_.interval && !stop_;
         slept += absl::Milliseconds(50)) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
}

absl::StatusOr<size_t> RulesRunner::RunOnce(bool all) {
  absl::MutexLock lock(&mu_);
  // Evaluate the fold after it took everything committed so far. The engine
  // records what it returns at once, so findings whose append failed are
  // appended again only when their outcome changes or after a restart (the
  // replayed log does not hold them).
  std::vector<aifl::rules::v1::Finding> findings;
  absl::Time now;
  uint64_t folded = 0;  // the findings rest on leaves [0, folded)
  RETURN_IF_ERROR(view_->WithFold([&](compliance::LogFold& fold) {
    now = clock_->Now();
    findings = all ? fold.engine().EvaluateAll(now)
                   : fold.engine().EvaluateChanged(now);
    folded = fold.next_leaf();
  }));
  if (all) last_full_ = now;
  Cite(folded, &findings);
  RETURN_IF_ERROR(recorder_->Record(findings).status());
  return findings.size();
}

void RulesRunner::Cite(uint64_t input_size,
                       std::vector<aifl::rules::v1::Finding>* findings) {
  vindex::CiteFn cite;
  if (options_.index != nullptr) {
    cite = [index = options_.index](const std::vector<std::string>& models,
                                    uint64_t size) {
      return index->Cite(models, size);
    };
  }
  const absl::Status cited = vindex::CiteFindings(cite, input_size, findings);
  if (!cited.ok()) {
    std::fprintf(stderr,
                 "rules runner: findings recorded without a citation: %s\n",
                 cited.ToString().c_str());
  }
}

}  // namespace api::server
