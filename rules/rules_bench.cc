// Benchmark: the full pack over 100,000 models (one core), and incremental
// re-evaluation after one new entry (ingest + evaluate the touched model +
// diff). Usage: bazel run -c opt //rules:rules_bench [-- <pack> <models>]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/production_runtime.h"
#include "rules/engine.h"
#include "rules/payload_types.h"
#include "rules/testonly/ledger_builder.h"

namespace {

using rules::testonly::At;
namespace provider = aifl::provider::v1;

// Declarations and two intervals per model, varied so that every condition
// kind does real work (placed / not, open source, modifications, systemic).
std::vector<rules::LedgerEntry> MakeLedger(int models) {
  rules::testonly::LedgerBuilder b(At(2025, 9, 1));
  for (int i = 0; i < models; ++i) {
    const std::string id = "model-" + std::to_string(i);
    provider::ModelDeclaration d = rules::testonly::Declaration(id);
    const double flop = 1e22 * (1 + (i * 7919) % 5000);  // 1e22 .. 5e25
    rules::testonly::DeclareCompute(&d, flop);
    if (i % 2 == 0) rules::testonly::PlaceOnMarket(&d, At(2025, 9, 1, 9));
    if (i % 5 == 0) d.mutable_licence()->set_open_source(true);
    if (i % 7 == 0) {
      d.mutable_base_model()->set_model_id("base");
      d.mutable_base_model()->set_provider("Other Lab");
      d.mutable_base_model()->set_systemic_risk(i % 14 == 0);
    }
    if (i % 3 == 0) d.set_intends_eu_market(true);
    b.Provider(d, b.now() + absl::Milliseconds(1));
    for (int k = 0; k < 2; ++k) {
      b.Collector(rules::testonly::Interval(id, flop * 0.45, flop * 0.55),
                  b.now() + absl::Milliseconds(1));
    }
  }
  return b.entries();
}

// Full pack over every model: the compact evaluation (outcome per rule, no
// finding rendered), as the engine's periodic run does it. Best of 3.
void BenchCompactOutcomes(rules::Engine& engine, int rules_count, int models,
                          absl::Time now) {
  const rules::Evaluator& evaluator = engine.evaluator();
  size_t findings = 0;
  double best_s = 1e9;
  for (int rep = 0; rep < 3; ++rep) {
    findings = 0;
    const absl::Time t0 = absl::Now();
    for (const auto& [id, state] : engine.fold().models()) {
      evaluator.Evaluate(
          state, now,
          [&findings](int, const rules::Outcome& o) {
            findings += o.kind != rules::Outcome::Kind::kPass;
            return false;
          },
          [](int, const rules::Outcome&, aifl::rules::v1::Finding) {});
    }
    best_s = std::min(best_s, absl::ToDoubleSeconds(absl::Now() - t0));
  }
  std::printf(
      "full pack (%d rules) over %d models, compact outcomes: %.3f s, "
      "%.0f models/s, %zu findings raised\n",
      rules_count, models, best_s, models / best_s, findings);
}

// For comparison: rendering every raised finding in full.
void BenchRenderedFindings(rules::Engine& engine, int models, absl::Time now) {
  size_t findings = 0;
  const absl::Time t0 = absl::Now();
  for (const auto& [id, state] : engine.fold().models()) {
    findings += engine.evaluator().Evaluate(state, now).size();
  }
  const double s = absl::ToDoubleSeconds(absl::Now() - t0);
  std::printf(
      "full pack over %d models, every finding rendered: %.3f s, "
      "%zu findings\n",
      models, s, findings);
}

// The engine's first run (evaluate + diff + record everything), then a
// periodic run with nothing new (evaluate + compare with the recorded).
void BenchEngineRuns(rules::Engine& engine, absl::Time now) {
  absl::Time t0 = absl::Now();
  const size_t appended = engine.EvaluateChanged(now).size();
  std::printf(
      "first engine run (evaluate + diff + record): %.3f s, %zu "
      "findings to append\n",
      absl::ToDoubleSeconds(absl::Now() - t0), appended);
  t0 = absl::Now();
  const size_t periodic = engine.EvaluateAll(now).size();
  std::printf(
      "periodic engine run, nothing new (evaluate + compare): %.3f s, %zu "
      "findings to append\n",
      absl::ToDoubleSeconds(absl::Now() - t0), periodic);
}

// Incremental: one new interval for one model, then re-evaluate; `n` times
// after `last` (the ledger's last entry). False when an ingest fails.
bool BenchIncremental(rules::Engine& engine, const rules::LedgerEntry& last,
                      int models, absl::Time now) {
  const int n = 20000;
  uint64_t leaf = last.leaf_index;
  absl::Time when = last.integration_time;
  std::vector<rules::LedgerEntry> extra;
  for (int i = 0; i < n; ++i) {
    const std::string id = "model-" + std::to_string((i * 104729) % models);
    rules::LedgerEntry e;
    e.leaf_index = ++leaf;
    e.integration_time = (when += absl::Milliseconds(1));
    e.signer_role = aifl::ledger::v1::ROLE_COLLECTOR;
    e.payload_type = rules::kIntervalReportType;
    e.payload = rules::testonly::Interval(id, 1e18, 1.2e18).SerializeAsString();
    extra.push_back(std::move(e));
  }
  size_t incremental_findings = 0;
  const absl::Time t0 = absl::Now();
  for (const auto& e : extra) {
    if (!engine.Ingest(e).ok()) return false;
    incremental_findings += engine.EvaluateChanged(now).size();
  }
  const double us = absl::ToDoubleMicroseconds(absl::Now() - t0) / n;
  std::printf(
      "incremental: %.2f us per new entry (ingest + re-evaluate + "
      "diff), %zu findings appended over %d entries\n",
      us, incremental_findings, n);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  const std::string pack_path =
      argc > 1 ? argv[1] : "rules/packs/ai_act_gpai_v1.textproto";
  const int models = argc > 2 ? std::atoi(argv[2]) : 100000;
  auto pack = rules::LoadRulePackFile(pack_path);
  if (!pack.ok()) {
    std::fprintf(stderr, "%s\n", pack.status().ToString().c_str());
    return 1;
  }
  auto engine = rules::Engine::Create(*pack);
  if (!engine.ok()) return 1;
  const std::vector<rules::LedgerEntry> entries = MakeLedger(models);
  for (const auto& e : entries) {
    if (!(*engine)->Ingest(e).ok()) return 1;
  }
  const absl::Time now = At(2025, 10, 1);
  BenchCompactOutcomes(**engine, pack->rules_size(), models, now);
  BenchRenderedFindings(**engine, models, now);
  BenchEngineRuns(**engine, now);
  return BenchIncremental(**engine, entries.back(), models, now) ? 0 : 1;
}
