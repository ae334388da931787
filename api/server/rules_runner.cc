#include "api/server/rules_runner.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "rules/default_pack.h"
#include "tools/compliance_check/ledger_entries.h"

namespace api::server {

constexpr absl::string_view kFindingType = "aifl.rules.v1.Finding";

absl::StatusOr<std::unique_ptr<RulesRunner>> RulesRunner::Start(
    ledger::Ledger* ledger, RulesRunnerOptions options) {
  ASSIGN_OR_RETURN(rules::RulePack pack,
                   rules::LoadRulePack(options.pack_path));
  const std::string pack_version = pack.version();
  ASSIGN_OR_RETURN(std::unique_ptr<rules::Engine> engine,
                   rules::Engine::Create(std::move(pack)));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(options.rules_key_path));
  const auto info =
      ledger->FindKey(ledger::crypto::ComputeKeyId(key->public_key()));
  if (!info.has_value() || info->role != aifl::ledger::v1::ROLE_RULES ||
      info->revoked()) {
    return absl::PermissionDeniedError(absl::StrCat(
        options.rules_key_path,
        " is not an enrolled, unrevoked rules key of this ledger"));
  }
  auto signer = std::make_unique<ledger::EntrySigner>(
      std::move(key), ledger->origin(), info->next_sequence);
  std::unique_ptr<RulesRunner> runner(new RulesRunner(
      ledger, std::move(options), std::move(engine), std::move(signer)));
  runner->pack_version_ = pack_version;
  return runner;
}

RulesRunner::RulesRunner(ledger::Ledger* ledger, RulesRunnerOptions options,
                         std::unique_ptr<rules::Engine> engine,
                         std::unique_ptr<ledger::EntrySigner> signer)
    : ledger_(ledger),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock
                                       : common::RealClock::Get()),
      engine_(std::move(engine)),
      signer_(std::move(signer)) {
  if (options_.background) thread_ = std::thread([this] { Loop(); });
}

RulesRunner::~RulesRunner() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void RulesRunner::Loop() {
  while (!stop_) {
    const bool all = clock_->Now() - last_full_ >= options_.periodic;
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
  const compliance_check::KeyLookup keys =
      [this](const ledger::crypto::KeyId& id) { return ledger_->FindKey(id); };
  // Fold everything committed since the last run, in leaf order.
  const uint64_t size = ledger_->Size();
  while (next_leaf_ < size) {
    const uint64_t count = std::min<uint64_t>(1000, size - next_leaf_);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                     ledger_->GetLeaves(next_leaf_, count));
    for (const std::string& bytes : leaves) {
      ASSIGN_OR_RETURN(
          rules::LedgerEntry entry,
          compliance_check::EntryFromLeaf(next_leaf_, bytes, keys));
      // A payload the fold refuses (malformed, wrong role) is the submitter's
      // problem, not the evaluation's: it is skipped, as the audit shows it.
      engine_->Ingest(entry).IgnoreError();
      ++next_leaf_;
    }
  }
  const absl::Time now = clock_->Now();
  std::vector<aifl::rules::v1::Finding> findings =
      all ? engine_->EvaluateAll(now) : engine_->EvaluateChanged(now);
  if (all) last_full_ = now;
  if (findings.empty()) return size_t{0};
  std::vector<std::string> envelopes;
  for (const auto& finding : findings) {
    ASSIGN_OR_RETURN(
        std::string envelope,
        signer_->SignNext(kFindingType, finding.SerializeAsString()));
    envelopes.push_back(std::move(envelope));
  }
  size_t appended = 0;
  for (const ledger::AppendResult& r : ledger_->Append(envelopes)) {
    if (!r.status.ok()) {
      // Re-sync the sequence with the ledger: nothing after the failure
      // landed, and the engine will re-raise on the next full evaluation.
      const auto info = ledger_->FindKey(signer_->key_id());
      if (info.has_value()) signer_->set_next_sequence(info->next_sequence);
      return absl::Status(r.status.code(), absl::StrCat("appending findings: ",
                                                        r.status.message()));
    }
    ++appended;
  }
  return appended;
}

}  // namespace api::server
