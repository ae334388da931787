// factory_sim: simulates an AI Factory end to end (see simulation.h) and
// prints the findings grouped by AI Office unit, then each model's expected
// and raised rules. Exit 0 when every model got exactly its expected rules,
// 1 when not, 2 on errors.
//
//   factory_sim --out_dir=D [--ledger_dir=L] [--seed=1] [--nodes=1024]
//               [--scale=1] [--weeks=260] [--sample_minutes=60]
//               [--interval_hours=168] [--pack=rules/packs/...]
//   factory_sim --version
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/production_runtime.h"
#include "common/version.h"
#include "tools/compliance_check/report.h"
#include "tools/factory_sim/simulation.h"

ABSL_FLAG(std::string, out_dir, "factory-out",
          "output folder: ledger/, spools/, keys/, report.txt, report.json");
ABSL_FLAG(std::string, ledger_dir, "",
          "ledger folder to create (default <out_dir>/ledger); must not exist");
ABSL_FLAG(uint64_t, seed, 1, "random seed (same seed, same ledger content)");
ABSL_FLAG(int, nodes, 1024, "8-GPU H100 nodes in the factory");
ABSL_FLAG(int, scale, 1, "load multiplier: 4 x scale background research jobs");
ABSL_FLAG(int, weeks, 260, "longest simulated time allowed (weeks)");
ABSL_FLAG(int, sample_minutes, 60, "simulated minutes between GPU samples");
ABSL_FLAG(int, interval_hours, 168, "simulated hours per IntervalReport");
ABSL_FLAG(std::string, origin, "factory.example.eu/ledger",
          "the ledger's origin (checkpoint origin line)");
ABSL_FLAG(int, federation_part, 0,
          "0: the single factory; 1..3: that factory of the three-factory "
          "AI Office demo (shared provider keys, a run split across "
          "factories)");
ABSL_FLAG(std::string, pack, "",
          "rule pack file; default: the v1 pack built into the binary");

namespace {

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

factory_sim::SimOptions OptionsFromFlags() {
  factory_sim::SimOptions o;
  o.out_dir = absl::GetFlag(FLAGS_out_dir);
  o.ledger_dir = absl::GetFlag(FLAGS_ledger_dir);
  o.seed = absl::GetFlag(FLAGS_seed);
  o.nodes = absl::GetFlag(FLAGS_nodes);
  o.background = 4 * absl::GetFlag(FLAGS_scale);
  o.max_weeks = absl::GetFlag(FLAGS_weeks);
  o.sample_period = absl::Minutes(absl::GetFlag(FLAGS_sample_minutes));
  o.interval = absl::Hours(absl::GetFlag(FLAGS_interval_hours));
  o.pack_path = absl::GetFlag(FLAGS_pack);
  o.origin = absl::GetFlag(FLAGS_origin);
  o.federation_part = absl::GetFlag(FLAGS_federation_part);
  o.progress = [](const std::string& line) {
    std::fprintf(stderr, "  %s\n", line.c_str());
  };
  return o;
}

void PrintFindingsByUnit(const factory_sim::SimResult& r) {
  std::printf("\n== Findings by AI Office unit ==\n");
  for (auto unit : {aifl::rules::v1::REGULATION_AND_COMPLIANCE,
                    aifl::rules::v1::AI_SAFETY}) {
    std::printf("\n%s\n", aifl::rules::v1::Unit_Name(unit).c_str());
    for (const auto& f : r.check.findings) {
      if (f.unit() != unit) continue;
      std::printf("  %-4s %-9s %-18s %s\n", f.rule_id().c_str(),
                  aifl::rules::v1::Severity_Name(f.severity()).c_str(),
                  f.model_id().c_str(), f.title().c_str());
    }
  }
}

void PrintModelsExpectedVsRaised(const factory_sim::SimResult& r) {
  std::printf("\n== Models: expected vs raised ==\n");
  for (const auto& m : r.models) {
    const bool ok = m.expected == m.raised;
    std::printf("  %-4s %-18s %.1e FLOP measured  raised [%s]  %s\n",
                ok ? "ok" : "DIFF", m.model_id.c_str(), m.measured_lower,
                absl::StrJoin(m.raised, ",").c_str(), m.story.c_str());
    if (!ok) {
      std::printf("       expected [%s]\n",
                  absl::StrJoin(m.expected, ",").c_str());
    }
  }
  for (const auto& [model, ids] : r.unexpected_models) {
    std::printf("  DIFF %-18s unexpected [%s]\n", model.c_str(),
                absl::StrJoin(ids, ",").c_str());
  }
}

void PrintTotals(const factory_sim::SimResult& r, const std::string& text_path,
                 const std::string& json_path) {
  std::printf(
      "\nsimulated %d weeks (%s .. %s): %llu GPU sample lines, %llu collector "
      "and %llu provider entries proven included; %zu findings recorded from "
      "leaf %llu\n",
      r.weeks,
      absl::FormatTime("%Y-%m-%d", r.start, absl::UTCTimeZone()).c_str(),
      absl::FormatTime("%Y-%m-%d", r.end, absl::UTCTimeZone()).c_str(),
      static_cast<unsigned long long>(r.sample_lines),
      static_cast<unsigned long long>(r.collector_envelopes),
      static_cast<unsigned long long>(r.provider_envelopes),
      r.check.recorded.size(),
      static_cast<unsigned long long>(r.check.recorded_from_leaf));
  std::printf("ledger:   %s (%llu entries)\nrules key: %s\nreport:   %s, %s\n",
              r.ledger_dir.c_str(),
              static_cast<unsigned long long>(r.check.ledger_size),
              r.rules_key_path.c_str(), text_path.c_str(), json_path.c_str());
  std::printf("verifier key: %s\n", r.verifier_key.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("factory_sim ", common::kVersion, "\n");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);
  const factory_sim::SimOptions o = OptionsFromFlags();
  auto r = factory_sim::RunSimulation(o);
  if (!r.ok()) {
    std::fprintf(stderr, "factory_sim: %s\n", r.status().ToString().c_str());
    return 2;
  }
  const std::string text =
      compliance_check::TextReport(r->check, aifl::rules::v1::VIOLATION);
  const std::string json =
      compliance_check::JsonReport(r->check, aifl::rules::v1::VIOLATION);
  const std::string text_path = o.out_dir + "/report.txt";
  const std::string json_path = o.out_dir + "/report.json";
  if (!WriteFile(text_path, text) || !WriteFile(json_path, json)) {
    std::fprintf(stderr, "factory_sim: cannot write the report\n");
    return 2;
  }
  PrintFindingsByUnit(*r);
  PrintModelsExpectedVsRaised(*r);
  PrintTotals(*r, text_path, json_path);
  return factory_sim::AllAsExpected(*r) ? 0 : 1;
}
