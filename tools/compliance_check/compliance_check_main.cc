// compliance_check: AI Act findings for a local ledger folder. Thin: parses
// the command line and calls compliance_check::Run
// (tools/compliance_check/compliance_check.h).
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/production_runtime.h"
#include "tools/compliance_check/compliance_check.h"

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  // Under `bazel run` the working directory is the runfiles tree: the
  // user's relative paths are resolved against where the command was run.
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  bool help = false;
  absl::StatusOr<compliance_check::Options> options =
      compliance_check::ParseArgs(
          std::vector<std::string>(argv + 1, argv + argc),
          wd != nullptr ? wd : "", absl::Now(), &help);
  if (!options.ok()) {
    std::cerr << "compliance_check: " << options.status().message() << "\n";
    return compliance_check::kExitError;
  }
  std::cerr << options->deprecation_lines;
  if (help) {
    std::cout << compliance_check::kUsage;
    return compliance_check::kExitClean;
  }
  if (options->version) {
    absl::StatusOr<std::string> text = compliance_check::VersionText(*options);
    if (!text.ok()) {
      std::cerr << "compliance_check: " << text.status().message() << "\n";
      return compliance_check::kExitError;
    }
    std::cout << *text;
    return compliance_check::kExitClean;
  }
  return compliance_check::Run(*options, std::cout, std::cerr);
}
